"""Knowledge-base scenarios: KB passage selection, out-of-scope topics, question writing (offline and LLM)."""
