"""The public results pages, included by spplus/urls.py."""

from django.urls import path

from .api import TransparencyRateView
from .views import public

app_name = "transparency"

urlpatterns = [
    path("resultats/", public.results, name="results"),
    path("api/v1/transparence/taux/", TransparencyRateView.as_view(), name="api_rates"),
]
