"""Officials: Telegram users allowed to broadcast and to read wage digests."""
