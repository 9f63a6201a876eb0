"""The agents' diagnostics, included by spplus/agent_urls.py in the `agents` namespace."""

from django.urls import path

from diagnostics import views

urlpatterns = [
    path("diagnostics/", views.home, name="diagnostics"),
    path("diagnostics/commencer/", views.start, name="diagnostic_start"),
    path("diagnostics/consolides/", views.consolidated, name="diagnostics_consolidated"),
    path("diagnostics/consolides/pdf/", views.consolidated_pdf, name="diagnostics_consolidated_pdf"),
    path("diagnostics/questionnaire-pdf/", views.blank_pdf, name="diagnostic_blank_pdf"),
    path("diagnostics/<int:pk>/pdf/", views.results_pdf, name="diagnostic_pdf"),
    path("diagnostics/exports/<uuid:public_id>/", views.export_status, name="diagnostic_export"),
    path("diagnostics/exports/<uuid:public_id>/fichier/", views.export_file, name="diagnostic_export_file"),
    path("diagnostics/<int:pk>/", views.diagnostic, name="diagnostic"),
    path("diagnostics/<int:pk>/engagement/<int:number>/", views.page, name="diagnostic_page"),
    path("diagnostics/structure/<int:structure_pk>/", views.structure_results, name="diagnostic_history"),
]
