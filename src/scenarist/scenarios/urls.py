"""Routes of the scenarios app, mounted under /test_framework/v1/."""

urlpatterns: list = []
