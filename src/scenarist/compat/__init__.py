"""Compatibility edge for existing Cekura clients: v2 agents and the answers for features Scenarist has not."""
