"""Telegram chats, officials and subscriptions."""
