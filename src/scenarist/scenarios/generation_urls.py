"""Routes of the scenario-generation job endpoints (mounted before the scenario router)."""

urlpatterns: list = []
