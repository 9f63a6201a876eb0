"""The dashboard's public page, included by spplus/urls.py: a network's scorecard."""

from django.urls import path

from dashboards.views import public

urlpatterns = [
    path("reseaux/<int:pk>/", public.network_page, name="network_scorecard"),
]
