"""Routes of one experience's page, its « moi aussi » and votes, and the author's evaluation link."""

from django.urls import path

from experiences.views import author_edit, detail

urlpatterns = [
    path("experiences/<int:public_id>/", detail.experience_detail, name="detail"),
    path("experiences/<int:public_id>/moi-aussi/", detail.me_too, name="me_too"),
    path("experiences/<int:public_id>/reponses/<int:response_id>/avis/", detail.vote, name="vote"),
    path("experiences/evaluer/<str:token>/", detail.evaluate, name="evaluate"),
    path("experiences/modifier/<str:token>/", author_edit.edit, name="author_edit"),
]
