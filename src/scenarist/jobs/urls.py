"""Routes of the jobs app, mounted under /test_framework/v1/."""

urlpatterns: list = []
