"""The LLM port: one structured-completion call shape over any OpenAI-compatible server."""
