"""Broadcasts: an official's message to an audience, fanned out into outbox deliveries."""
