"""HTTP API: FastAPI app factory, thin routers, API-key auth, error mapping."""
