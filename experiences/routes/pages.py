from django.urls import path

from experiences.views import pages

urlpatterns = [
    path("", pages.home, name="home"),
    path("engagements/", pages.commitments, name="commitments"),
]
