"""Shared HTTP-edge building blocks: errors, pagination, project-scoped views."""
