"""The agents' pages over reports of complex documents, included by spplus/agent_urls.py in `agents`."""

from django.urls import path

from . import agent_views

urlpatterns = [
    path("documents-signales/", agent_views.report_list, name="document_reports"),
    path("documents-signales/<int:pk>/", agent_views.report_detail, name="document_report"),
    path("documents-signales/<int:pk>/fichier/", agent_views.report_file, name="document_report_file"),
]
