"""The public results pages, included by spplus/urls.py."""

from django.urls import path

from .views import public

app_name = "transparency"

urlpatterns = [
    path("resultats/", public.results, name="results"),
]
