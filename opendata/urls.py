"""Open-data URLs, included by spplus/urls.py; the file and schema addresses are stable."""

from django.urls import path

from . import views

app_name = "opendata"

urlpatterns = [
    path("open-data/", views.index, name="index"),
    path("open-data/<slug:slug>.csv", views.download, name="download"),
    path("open-data/schemas/<slug:slug>.json", views.schema, name="schema"),
]
