"""Answers for the parts of the reference API that Scenarist does not implement: a JSON 404 naming the feature.

404, not 501: clients of the reference API (the official SDK among them) retry every 5xx with backoff, so a
501 would cost each caller retries and warnings for an answer that can never change. The body says why:
`{"detail": "... is not part of Scenarist ...", "code": "not_part_of_scenarist", "feature": "<name>"}`.
"""

from __future__ import annotations

from django.urls import re_path
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

CODE = "not_part_of_scenarist"
SUFFIX = r"(?:/.*)?$"  # the feature's root and everything under it

RUNS = "Running scenarios (calls, chats, runs, results)"
OBSERVABILITY = "Observability (call logs, insights, alerts)"

# (path regex without the trailing SUFFIX, feature name, why). Paths are v1; `-external`/v2 spellings and the
# optional trailing slash reach the same entries through scenarist.common.routing.
FEATURES: list[tuple[str, str, str]] = [
    (r"test_framework/v1/scenarios/run_scenarios\w*", RUNS, "Scenarist writes test scenarios; it does not run them."),
    (r"test_framework/v1/runs(?:-external)?", RUNS, "Scenarist writes test scenarios; it does not run them."),
    (r"test_framework/v1/results(?:-external)?", RUNS, "Scenarist writes test scenarios; it does not run them."),
    (r"test_framework/metric-reviews", "Metric reviews", "Scenarist does not evaluate calls."),
    (r"test_framework/test-sets", "Test sets from runs or call logs", "Scenarist has no runs or call logs."),
    (r"test_framework/v1/critical-metric-scenarios", "Critical metric scenarios", "Scenarist does not score runs."),
    (r"test_framework/v1/scenario-improvement-sessions", "Scenario improvement sessions", "Not implemented."),
    (r"test_framework/v1/scenarios/create-from-transcript-(?:bg|progress)", "Scenarios from transcripts",
     "Scenarist generates scenarios from the agent (generate-bg)."),
    (r"test_framework/v1/scenarios/\d+/update_scenario_with_transcript", "Scenarios from transcripts",
     "Scenarist generates scenarios from the agent (generate-bg)."),
    (r"test_framework/v1/scenarios/(?:generate-instructions|improve_instructions|instructions-progress)",
     "Instruction writing and improvement", "Use generate-bg with extra_instructions."),
    (r"test_framework/v1/scenarios/scenario-agent(?:-progress)?", "The scenario refine agent",
     "Use generate-bg with extra_instructions."),
    (r"test_framework/v1/scenarios/\d+/update_conditional_actions", "Conditional-action editing",
     "PATCH the scenario's conditional_actions instead."),
    (r"test_framework/v1/scenarios/json_schema", "JSON test-suite specs", "Scenarist does not run specs."),
    (r"test_framework/v1/metrics/(?:generate_metrics|generate_metrics_progress)", "Metric generation",
     "Scenarist cleans metric descriptions (generate_clean_description_bg); it does not propose metrics."),
    (r"test_framework/v1/metrics/generate_evaluation_trigger", "Evaluation-trigger generation", "Not implemented."),
    (r"test_framework/v1/metrics/simplify_prompt(?:_progress)?", "Prompt simplification", "Not implemented."),
    (r"test_framework/v1/metrics/(?:preview|preview-progress|run_reviews_progress)", "Metric evaluation and labs",
     "Scenarist does not evaluate calls."),
    (r"test_framework/v1/metrics/\d+/(?:run_reviews|evaluate_\w+|add_to_predefined_metrics|variables)",
     "Metric evaluation and labs", "Scenarist does not evaluate calls."),
    (r"test_framework/v1/metrics/(?:bulk_manage_agents|bulk-toggle-settings)",
     "Bulk metric agent and settings toggles", "Use PATCH on each metric."),
    (r"test_framework/v2/aiagents/(?:\d+/)?(?:auto-fetch(?:-progress)?|runs_overview(?:_project)?)",
     "Provider auto-fetch and run analytics", "Scenarist does not connect to voice providers or run calls."),
    (r"test_framework/v2/aiagents/\d+/(?:history|restore)", "Agent version history", "Not implemented."),
    (r"test_framework/v2/aiagents/\d+/(?:personalities|enable_personalities|disable_personalities)",
     "Per-agent personality enabling", "Every visible personality is usable by every agent."),
    (r"test_framework/v1/aiagents/\d+/mcp/\d+", "MCP mock serving", "Scenarist does not serve mock calls."),
    (r"user/v1/projects/\d+/(?:enable_personalities|disable_personalities)", "Per-project personality enabling",
     "Every visible personality is usable by every agent."),
    (r"observability", OBSERVABILITY, "Scenarist does not ingest calls."),
    (r"dashboards", "Dashboards and widgets", "Not implemented."),
    (r"schedules", "Scheduled runs (cron jobs)", "Scenarist does not run scenarios."),
    (r"test_framework/billing", "Billing", "Scenarist is self-hosted and has no billing."),
    (r"slack", "Slack integration", "Not implemented."),
    (r"user/(?:v2/)?organizations", "Organizations", "Scenarist's tenant is the project (/user/v1/projects/)."),
    (r"user/api/v1/user-api-key", "API key management over HTTP",
     "Keys are issued by `scenarist project create` or by POST /user/v1/projects/."),
]


@extend_schema(exclude=True)  # not operations of Scenarist's API
class NotPartOfScenarist(APIView):
    """Every method answers 404 with a body naming the feature; no authentication needed to learn that."""

    authentication_classes: list = []
    permission_classes = [AllowAny]
    feature = ""
    reason = ""

    def _answer(self, request, *args, **kwargs):
        detail = f"{self.feature} is not part of Scenarist. {self.reason}".strip()
        return Response({"detail": detail, "code": CODE, "feature": self.feature}, status=status.HTTP_404_NOT_FOUND)

    get = post = put = patch = delete = _answer


urlpatterns = [
    re_path(rf"^{regex}{SUFFIX}", NotPartOfScenarist.as_view(feature=feature, reason=reason),
            name=f"not-part-of-scenarist-{index}")
    for index, (regex, feature, reason) in enumerate(FEATURES)
]
