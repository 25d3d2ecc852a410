"""Projects, hashed API keys and the DRF authentication that scopes every request to one project."""
