"""A local Telegram Bot API server: the data model and the HTTP routes aiogram talks to."""
