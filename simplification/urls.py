"""The citizens' routes: report a complex document, and the simplified documents published as examples."""

from django.urls import path

from . import views

app_name = "simplification"

urlpatterns = [
    path("documents-complexes/signaler/", views.report, name="report"),
    path("documents-complexes/signaler/merci/", views.report_done, name="report_done"),
    path("documents-simplifies/", views.examples, name="examples"),
]
