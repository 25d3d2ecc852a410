"""Cekura-shaped page-number pagination: ?page=&page_size= → {count, next, previous, results}."""

from rest_framework import pagination


class PageNumberPagination(pagination.PageNumberPagination):
    """DRF page-number pagination with a client-chosen page size (capped)."""

    page_size_query_param = "page_size"
    max_page_size = 500
