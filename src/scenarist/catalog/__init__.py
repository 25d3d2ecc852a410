"""Shared catalogues: personalities, predefined metrics, caller tools, phone numbers."""
