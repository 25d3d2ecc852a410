"""Routes of the metrics app, mounted under /test_framework/v1/."""

urlpatterns: list = []
