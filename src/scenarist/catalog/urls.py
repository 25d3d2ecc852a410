"""Routes of the catalog app, mounted under /test_framework/v1/."""

urlpatterns: list = []
