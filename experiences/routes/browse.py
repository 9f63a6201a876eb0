"""Search and browse published experiences."""

from django.urls import path

from experiences.views import browse

urlpatterns = [
    path("experiences/", browse.experience_list, name="list"),
]
