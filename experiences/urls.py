"""Public site: each part keeps its routes next to its views (experiences/routes/)."""

from django.urls import include, path

app_name = "experiences"

urlpatterns = [
    path("", include("experiences.routes.pages")),
    path("", include("experiences.routes.share")),
    path("", include("experiences.routes.browse")),
    path("", include("experiences.routes.detail")),
    path("", include("experiences.routes.public_pages")),
]
