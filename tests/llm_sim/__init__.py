"""An OpenAI-compatible LLM simulator for tests and benchmarks (see docs/llm-providers.md)."""

from tests.llm_sim.config import FAULTS, REFUSAL_MESSAGE, SimConfig
from tests.llm_sim.server import CallRecord, LLMSimulator

__all__ = ["LLMSimulator", "SimConfig", "CallRecord", "FAULTS", "REFUSAL_MESSAGE"]
