"""The agents' diagnostics, included by spplus/agent_urls.py in the `agents` namespace."""

from django.urls import path

from diagnostics import views

urlpatterns = [
    path("diagnostics/", views.home, name="diagnostics"),
    path("diagnostics/commencer/", views.start, name="diagnostic_start"),
    path("diagnostics/consolides/", views.consolidated, name="diagnostics_consolidated"),
    path("diagnostics/<int:pk>/", views.diagnostic, name="diagnostic"),
    path("diagnostics/<int:pk>/engagement/<int:number>/", views.page, name="diagnostic_page"),
    path("diagnostics/structure/<int:structure_pk>/", views.structure_results, name="diagnostic_history"),
]
