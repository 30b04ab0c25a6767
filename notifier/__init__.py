"""The notifier: scheduled jobs and the delivery engine (outbox -> Telegram)."""
