"""The agents' improvement actions: list, create, edit, publish."""

from django.urls import path

from experiences.views import agent_actions

urlpatterns = [
    path("actions/", agent_actions.action_list, name="actions"),
    path("actions/nouvelle/", agent_actions.action_create, name="action_create"),
    path("actions/<int:pk>/", agent_actions.action_edit, name="action_edit"),
    path("actions/<int:pk>/publier/", agent_actions.action_publish, name="action_publish"),
]
