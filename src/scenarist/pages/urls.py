"""Routes of the workspace (mounted at `/`, after every API route)."""

from django.urls import path

from . import views_agents, views_auth, views_coverage, views_jobs, views_metrics, views_suites

app_name = "pages"

urlpatterns = [
    path("", views_auth.home, name="home"),
    path("signin/", views_auth.signin, name="signin"),
    path("signin/<str:token>/", views_auth.signin_link, name="signin-link"),
    path("logout/", views_auth.logout, name="logout"),
    path("agents/", views_agents.agent_list, name="agents"),
    path("agents/new/", views_agents.agent_new, name="agent-new"),
    path("agents/<int:agent_id>/", views_agents.agent_detail, name="agent"),
    path("agents/<int:agent_id>/tools/", views_agents.tool_new, name="tool-new"),
    path("agents/<int:agent_id>/kb/", views_agents.kb_upload, name="kb-upload"),
    path("agents/<int:agent_id>/coverage/", views_coverage.coverage, name="coverage"),
    path("agents/<int:agent_id>/coverage/generate/", views_coverage.generate_for_gaps, name="coverage-generate"),
    path("generate/", views_jobs.generate, name="generate"),
    path("jobs/", views_jobs.jobs, name="jobs"),
    path("jobs/<uuid:progress_id>/", views_jobs.job_page, name="job"),
    path("jobs/<uuid:progress_id>/progress/", views_jobs.job_progress, name="job-progress"),
    path("jobs/<uuid:progress_id>/cancel/", views_jobs.job_cancel, name="job-cancel"),
    path("suites/", views_suites.suites, name="suites"),
    path("suites/bulk/", views_suites.bulk, name="bulk"),
    path("scenarios/<int:scenario_id>/", views_suites.scenario_page, name="scenario"),
    path("scenarios/<int:scenario_id>/edit/", views_suites.scenario_edit, name="scenario-edit"),
    path("scenarios/<int:scenario_id>/delete/", views_suites.scenario_delete, name="scenario-delete"),
    path("metrics/", views_metrics.metrics, name="metrics"),
    path("metrics/clean/", views_metrics.clean_start, name="clean-start"),
    path("metrics/clean/<uuid:progress_id>/", views_metrics.clean_page, name="clean"),
    path("metrics/clean/<uuid:progress_id>/progress/", views_metrics.clean_progress, name="clean-progress"),
    path("metrics/clean/<uuid:progress_id>/save/", views_metrics.clean_save, name="clean-save"),
]
