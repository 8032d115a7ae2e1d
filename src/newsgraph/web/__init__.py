"""The HTTP side of newsgraph: ``app.create_app`` builds the FastAPI application over a store."""
