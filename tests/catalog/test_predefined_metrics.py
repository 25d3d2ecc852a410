"""The predefined metric catalogue endpoint."""

DEFAULT_NAMES = [
    "Expected Outcome", "Latency", "Average Pitch", "Interruption Score", "Infrastructure Issues",
    "Tool Call Success", "Relevancy", "Response Consistency", "Hallucination", "Appropriate Call Termination",
]


def test_catalogue_lists_ten_defaults_and_extras(api):
    body = api.get("/test_framework/v1/predefined-metrics/").json()
    assert isinstance(body, list)
    assert [row["name"] for row in body if row["is_default"]] == DEFAULT_NAMES
    by_name = {row["name"]: row for row in body}
    assert by_name["Sentiment"]["eval_type"] == "enum" and by_name["Sentiment"]["enum_values"]
    assert by_name["Verbosity"]["eval_type"] == "continuous_qualitative"
    assert by_name["Latency"]["eval_type"] == "numeric"
    assert by_name["Hallucination"]["eval_type"] == "binary"
    assert {"CSAT", "Talk Ratio"} <= set(by_name)
    for row in body:
        assert len(row["description"]) > 200, row["name"]  # a real judge prompt, not a label
        assert row["eval_type"] != "enum" or row["enum_values"]


def test_catalogue_is_read_only(api):
    assert api.post("/test_framework/v1/predefined-metrics/", {"name": "x"}, format="json").status_code == 405
