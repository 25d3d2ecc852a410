"""LLMConfig.from_env and build_llm."""

from __future__ import annotations

import pytest

from scenarist.llm.client import OpenAICompatibleLLM, build_llm
from scenarist.llm.config import LLMConfig, StructuredMode


def test_empty_environment_means_offline_with_documented_defaults():
    config = LLMConfig.from_env({})
    assert config.is_configured is False
    assert (config.model, config.max_concurrency, config.job_concurrency) == ("gpt-4o-mini", 128, 100)
    assert (config.max_output_tokens, config.context_tokens, config.adaptive_concurrency) == (4096, 128_000, True)
    assert config.initial_concurrency == 128
    assert (config.timeout_s, config.max_retries, config.job_token_budget) == (60.0, 3, 0)
    assert config.structured_mode is StructuredMode.JSON_SCHEMA
    assert build_llm(config) is None


def test_every_variable_is_read():
    config = LLMConfig.from_env(
        {
            "SCENARIST_LLM_BASE_URL": "http://127.0.0.1:8000/v1/",
            "SCENARIST_LLM_API_KEY": "sk-test",
            "SCENARIST_LLM_MODEL": "qwen2.5-7b-instruct",
            "SCENARIST_LLM_MAX_CONCURRENCY": "64",
            "SCENARIST_LLM_JOB_CONCURRENCY": "4",
            "SCENARIST_LLM_TIMEOUT_S": "12.5",
            "SCENARIST_LLM_MAX_RETRIES": "0",
            "SCENARIST_LLM_STRUCTURED_MODE": "JSON_OBJECT",
            "SCENARIST_LLM_JOB_TOKEN_BUDGET": "50000",
            "SCENARIST_LLM_MAX_OUTPUT_TOKENS": "900",
            "SCENARIST_LLM_CONTEXT_TOKENS": "4096",
            "SCENARIST_LLM_ADAPTIVE_CONCURRENCY": "off",
            "SCENARIST_LLM_START_CONCURRENCY": "200",
        }
    )
    assert config.base_url == "http://127.0.0.1:8000/v1"
    assert (config.api_key, config.model) == ("sk-test", "qwen2.5-7b-instruct")
    assert (config.max_concurrency, config.job_concurrency) == (64, 4)
    assert (config.timeout_s, config.max_retries, config.job_token_budget) == (12.5, 0, 50000)
    assert config.structured_mode is StructuredMode.JSON_OBJECT
    assert (config.max_output_tokens, config.context_tokens, config.adaptive_concurrency) == (900, 4096, False)
    assert config.initial_concurrency == 64  # a start above the process cap is capped


@pytest.mark.parametrize(
    "env",
    [{"SCENARIST_LLM_BASE_URL": "http://localhost:11434/v1"}, {"SCENARIST_LLM_API_KEY": "sk-only-a-key"}],
)
def test_a_base_url_or_a_key_alone_configures_the_client(env):
    config = LLMConfig.from_env(env)
    assert config.is_configured
    llm = build_llm(config)
    assert isinstance(llm, OpenAICompatibleLLM)
    assert llm.model_name == "gpt-4o-mini"


def test_blank_values_fall_back_to_defaults():
    config = LLMConfig.from_env({"SCENARIST_LLM_MODEL": "  ", "SCENARIST_LLM_MAX_RETRIES": ""})
    assert (config.model, config.max_retries) == ("gpt-4o-mini", 3)


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("SCENARIST_LLM_MAX_CONCURRENCY", "lots"),
        ("SCENARIST_LLM_MAX_CONCURRENCY", "0"),
        ("SCENARIST_LLM_TIMEOUT_S", "-1"),
        ("SCENARIST_LLM_STRUCTURED_MODE", "xml"),
        ("SCENARIST_LLM_JOB_TOKEN_BUDGET", "1.5"),
        ("SCENARIST_LLM_CONTEXT_TOKENS", "100"),
        ("SCENARIST_LLM_ADAPTIVE_CONCURRENCY", "maybe"),
    ],
)
def test_malformed_values_name_the_variable(name, value):
    with pytest.raises(ValueError, match=name):
        LLMConfig.from_env({name: value})
