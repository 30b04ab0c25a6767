"""The outbox: every outgoing message is a delivery row first."""
