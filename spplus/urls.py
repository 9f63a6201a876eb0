"""URL map: public site, agents' back-office, admin, API and health."""

from django.contrib import admin
from django.urls import include, path
from django.views.generic import TemplateView
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from experiences.api import ExperienceViewSet, ImprovementActionViewSet
from opendata.api import IndicatorViewSet, ResultViewSet, TypologyViewSet
from structures.api import StructureViewSet

from .health import healthz

api_router = DefaultRouter()
api_router.register("structures", StructureViewSet, basename="structure")
api_router.register("experiences", ExperienceViewSet, basename="experience")
api_router.register("actions", ImprovementActionViewSet, basename="improvement-action")
api_router.register("typologies", TypologyViewSet, basename="typology")
api_router.register("indicateurs", IndicatorViewSet, basename="indicator")
api_router.register("resultats", ResultViewSet, basename="result")


def _page(template_name: str, title: str):
    return TemplateView.as_view(template_name=template_name, extra_context={"breadcrumb_data": {"current": title}})


urlpatterns = [
    path("", include("experiences.urls")),
    path("", include("transparency.urls")),
    path("", include("opendata.urls")),
    path("", include("content.urls")),
    path("usagers-testeurs/", include("panel.urls")),
    path("", include("simplification.urls")),
    path("", include("dashboards.public_urls")),
    path("accessibilite/", _page("pages/accessibility.html", "Accessibilité"), name="accessibility"),
    path("mentions-legales/", _page("pages/legal_notice.html", "Mentions légales"), name="legal-notice"),
    path("donnees-personnelles/", _page("pages/personal_data.html", "Données personnelles"), name="personal-data"),
    path("agents/", include("spplus.agent_urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", include(api_router.urls)),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("healthz", healthz, name="healthz"),
]
