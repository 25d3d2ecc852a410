"""Process entry points for `scenarist serve|web|worker` (filled in by the job engine)."""
