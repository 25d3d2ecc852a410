"""The LLM port: one structured-completion call shape over any OpenAI-compatible server.

Modules: `port` (Usage, UsageMeter, StructuredLLM), `errors` (the taxonomy), `config` (LLMConfig, the only
reader of SCENARIST_LLM_*), `client` (OpenAICompatibleLLM, build_llm), `structured` (schema requests,
parsing, refusal detection), `failures` (SDK errors → taxonomy), `limiter` (cross-loop concurrency cap).
"""
