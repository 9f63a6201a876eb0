"""Routes of the public pages: improvement actions, structures, the moderation charter."""

from django.urls import path

from experiences.views import public_pages

urlpatterns = [
    path("actions-amelioration/", public_pages.actions, name="actions"),
    path("structures/<str:code>/", public_pages.structure, name="structure"),
    path("charte-de-moderation/", public_pages.charter, name="charter"),
]
