"""The agents' back-office at /agents/: one URL namespace, `agents`, whose routes live with their app."""

from django.urls import include, path

app_name = "agents"

urlpatterns = [
    path("", include("accounts.routes.agents")),
    path("", include("experiences.routes.agents")),
    path("", include("experiences.routes.agent_actions")),
    path("", include("dashboards.urls")),
    path("", include("transparency.agent_urls")),
]
