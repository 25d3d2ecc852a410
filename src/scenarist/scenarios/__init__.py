"""Scenarios, folders, test profiles and the scenario-generation endpoints."""
