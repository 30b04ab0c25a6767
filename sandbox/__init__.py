"""Sandbox: the whole bot in a browser, on a built-in Telegram Bot API server, without a token."""
