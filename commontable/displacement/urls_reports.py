"""Included by `displacement/urls.py` (namespace `displacement`)."""

urlpatterns: list = []
