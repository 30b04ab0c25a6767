"""The Telegram bot (aiogram 3): one router per feature."""
