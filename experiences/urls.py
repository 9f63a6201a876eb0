"""The public site's routes: home, sharing, browsing, one experience and the public pages."""

from django.urls import path

from experiences.views import author_edit, browse, detail, pages, public_pages, share

app_name = "experiences"

urlpatterns = [
    path("", pages.home, name="home"),
    path("engagements/", pages.commitments, name="commitments"),
    # Sharing an experience.
    path("experiences/partager/", share.share, name="share"),
    path("experiences/partager/suggestions/", share.suggest, name="suggest_typologies"),
    path("experiences/partager/semblables/", share.similar, name="similar_experiences"),
    path("experiences/partager/merci/", share.share_done, name="share_done"),
    # Browsing, one experience, its « moi aussi » and votes, and the author's signed links.
    path("experiences/", browse.experience_list, name="list"),
    path("experiences/<int:public_id>/", detail.experience_detail, name="detail"),
    path("experiences/<int:public_id>/moi-aussi/", detail.me_too, name="me_too"),
    path("experiences/<int:public_id>/reponses/<int:response_id>/avis/", detail.vote, name="vote"),
    path("experiences/evaluer/<str:token>/", detail.evaluate, name="evaluate"),
    path("experiences/modifier/<str:token>/", author_edit.edit, name="author_edit"),
    # Public pages: improvement actions, structures, the moderation charter.
    path("actions-amelioration/", public_pages.actions, name="actions"),
    path("actions-amelioration/<int:pk>/effet/", public_pages.action_impact, name="action_impact"),
    path("structures/<str:code>/", public_pages.structure, name="structure"),
    path("charte-de-moderation/", public_pages.charter, name="charter"),
]
