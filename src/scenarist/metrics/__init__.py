"""Project metrics (LLM-judge prompts) and the clean-description endpoints."""
