"""The agents' dashboard and its exports, included by spplus/agent_urls.py in the `agents` namespace."""

from django.urls import path

from dashboards.views import exports, page

urlpatterns = [
    path("tableau-de-bord/", page.dashboard, name="dashboard"),
    path("tableau-de-bord/export.csv", exports.dashboard_csv_file, name="dashboard_csv"),
    path("tableau-de-bord/export-pdf/", exports.request_pdf, name="dashboard_pdf"),
    path("tableau-de-bord/exports/<uuid:public_id>/", exports.export_status, name="dashboard_export"),
    path(
        "tableau-de-bord/exports/<uuid:public_id>/fichier/",
        exports.export_file,
        name="dashboard_export_file",
    ),
]
