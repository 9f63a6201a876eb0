"""Routes of sharing an experience (experiences/views/share.py)."""

from django.urls import path

from experiences.views import share

urlpatterns = [
    path("experiences/partager/", share.share, name="share"),
    path("experiences/partager/suggestions/", share.suggest, name="suggest_typologies"),
    path("experiences/partager/merci/", share.share_done, name="share_done"),
]
