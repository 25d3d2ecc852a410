"""Red-teaming scenarios: strategy library, asset targeting, speakability check, attack writing (offline and LLM)."""
