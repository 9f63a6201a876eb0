"""The agents' dashboard and its exports."""

from django.urls import path

from experiences.views import dashboard, dashboard_exports

urlpatterns = [
    path("tableau-de-bord/", dashboard.dashboard, name="dashboard"),
    path("tableau-de-bord/export.csv", dashboard_exports.dashboard_csv_file, name="dashboard_csv"),
    path("tableau-de-bord/export-pdf/", dashboard_exports.request_pdf, name="dashboard_pdf"),
    path("tableau-de-bord/exports/<uuid:public_id>/", dashboard_exports.export_status, name="dashboard_export"),
    path(
        "tableau-de-bord/exports/<uuid:public_id>/fichier/",
        dashboard_exports.export_file,
        name="dashboard_export_file",
    ),
]
