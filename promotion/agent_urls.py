"""The promotion kit, included by spplus/agent_urls.py in the `agents` namespace."""

from django.urls import path

from . import views

urlpatterns = [
    path("promotion/", views.kit_home, name="promotion"),
    path("promotion/<str:code>/", views.structure_kit, name="promotion_structure"),
    path("promotion/<str:code>/qr-code-<str:size>.<str:kind>", views.qr_download, name="promotion_qr"),
    path("promotion/<str:code>/affiche.pdf", views.poster, name="promotion_poster"),
]
