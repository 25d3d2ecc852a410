"""Routes of the agents app, mounted under /test_framework/v1/."""

urlpatterns: list = []
