"""Agents under test: system prompt, mock tools, dynamic variables, knowledge-base files."""
