"""Construction projects synced from public OC4IDS records."""
