"""Caller-tool catalogue and alias normalisation."""

import pytest

from scenarist.catalog.caller_tools import normalise_caller_tool_ids


def test_catalogue_endpoint(api):
    body = api.get("/test_framework/v1/caller-tools/").json()
    assert [row["id"] for row in body] == ["TOOL_END_CALL", "TOOL_END_CALL_ONLY_ON_TRANSFER", "TOOL_DTMF"]
    assert all(row["name"] and row["description"] for row in body)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (["TOOL_END_CALL_ON_TRANSFER"], ["TOOL_END_CALL_ONLY_ON_TRANSFER"]),
        (["TOOL_SEND_DTMF"], ["TOOL_DTMF"]),
        (["VAPI_TOOL_END_CALL", "VAPI_TOOL_END_CALL_ON_TRANSFER"], ["TOOL_END_CALL", "TOOL_END_CALL_ONLY_ON_TRANSFER"]),
        (["TOOL_DTMF", "TOOL_END_CALL", "TOOL_SEND_DTMF", "tool_end_call"], ["TOOL_DTMF", "TOOL_END_CALL"]),
        ([], []),
    ],
)
def test_aliases_normalise_and_dedupe_in_order(raw, expected):
    assert normalise_caller_tool_ids(raw) == expected


def test_unknown_id_lists_valid_ones():
    with pytest.raises(ValueError) as info:
        normalise_caller_tool_ids(["TOOL_END_CALL", "TOOL_DTML"])
    message = str(info.value)
    assert message.startswith("Unknown caller tool id 'TOOL_DTML'. Valid ids: ")
    assert "TOOL_END_CALL_ONLY_ON_TRANSFER" in message
