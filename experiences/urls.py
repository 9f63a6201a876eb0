"""Public site: home, the commitments, and (later) experiences."""

from django.urls import path

from . import views

app_name = "experiences"

urlpatterns = [
    path("", views.home, name="home"),
    path("engagements/", views.commitments, name="commitments"),
]
