"""Telegram chats, what they follow, and the notices about what they follow."""
