"""The agents' experiences and improvement actions, included by spplus/agent_urls.py in the `agents` namespace."""

from django.urls import path
from django.views.generic import RedirectView

from experiences.views import agent_actions, agents, targets

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="agents:experiences"), name="home"),
    path("experiences/", agents.experience_list, name="experiences"),
    path("experiences/<int:public_id>/", agents.experience_detail, name="experience"),
    path("experiences/<int:public_id>/reponse/", agents.write_response, name="write_response"),
    path("experiences/<int:public_id>/reponse/valider/", agents.validate_response, name="validate_response"),
    path(
        "experiences/<int:public_id>/reponse/corriger-et-valider/",
        agents.correct_and_validate_response,
        name="correct_and_validate_response",
    ),
    path("experiences/<int:public_id>/reponse/renvoyer/", agents.send_back_response, name="send_back_response"),
    path("experiences/<int:public_id>/reponse/depublier/", agents.unpublish_response, name="unpublish_response"),
    path("experiences/<int:public_id>/reponse/modifier/", agents.modify_response, name="modify_response"),
    path("experiences/<int:public_id>/reponse/adopter/", agents.adopt_response, name="adopt_response"),
    path("experiences/<int:public_id>/qualification/", agents.qualify, name="qualify"),
    path("experiences/<int:public_id>/reorienter/", agents.move, name="move"),
    path("experiences/<int:public_id>/transfert/", agents.transfer, name="transfer"),
    path("experiences/<int:public_id>/commentaires/", agents.comment, name="comment"),
    path("experiences/<int:public_id>/actions/", agents.link_action, name="link_action"),
    # Improvement actions: list, create, edit, publish.
    path("actions/", agent_actions.action_list, name="actions"),
    path("actions/nouvelle/", agent_actions.action_create, name="action_create"),
    path("actions/<int:pk>/", agent_actions.action_edit, name="action_edit"),
    path("actions/<int:pk>/publier/", agent_actions.action_publish, name="action_publish"),
    # Response-time targets (issue 20).
    path("delais-cibles/", targets.target_list, name="targets"),
    path("delais-cibles/<int:pk>/retirer/", targets.target_remove, name="target_remove"),
]
