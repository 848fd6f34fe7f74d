"""The HTTP service: FastAPI app factory, API routes and the reviewers' web UI."""
