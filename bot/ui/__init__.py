"""Texts, keyboards, callbacks and i18n shared by the bot and the notifier."""
