"""« Ressources et FAQ », included by spplus/agent_urls.py in the `agents` namespace."""

from django.urls import path

from . import views

urlpatterns = [
    path("ressources/", views.resources_home, name="resources"),
    path("ressources/<int:pk>/", views.resource_detail, name="resource"),
    path("ressources/<int:pk>/fichier/", views.resource_file, name="resource_file"),
]
