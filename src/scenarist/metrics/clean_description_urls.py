"""Routes of the clean-description job endpoints (mounted before the metric router)."""

urlpatterns: list = []
