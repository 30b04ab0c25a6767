"""API keys with roles."""
