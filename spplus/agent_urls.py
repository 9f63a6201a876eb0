"""The agents' back-office at /agents/: one URL namespace, `agents`, whose routes live with their app."""

from django.urls import include, path

app_name = "agents"

urlpatterns = [
    path("", include("accounts.agent_urls")),
    path("", include("experiences.agent_urls")),
    path("", include("dashboards.urls")),
    path("", include("diagnostics.urls")),
    path("", include("transparency.agent_urls")),
    path("", include("simplification.agent_urls")),
]
