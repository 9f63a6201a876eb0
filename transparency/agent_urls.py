"""The import module, included by spplus/agent_urls.py in the `agents` namespace."""

from django.urls import path

from .views import imports, posters, rates

urlpatterns = [
    path("imports/", imports.imports_home, name="imports"),
    path("imports/modele.csv", imports.import_template, name="import_template"),
    path("imports/exemple.csv", imports.import_sample, name="import_sample"),
    path("imports/guide/", imports.import_guide, name="import_guide"),
    path("imports/<int:pk>/", imports.import_detail, name="import"),
    path("imports/<int:pk>/executer/", imports.import_execute, name="import_execute"),
    path("imports/<int:pk>/rapport.csv", imports.import_report_csv, name="import_report"),
    path("imports/<int:pk>/fichier/", imports.import_file, name="import_file"),
    path("transparence/", rates.transparency_rates, name="transparency_rates"),
    path("affiches/<str:code>.pdf", posters.structure_poster, name="structure_poster"),
]
