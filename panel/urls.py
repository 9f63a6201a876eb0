"""The tester panel, under /usagers-testeurs/."""

from django.urls import path

from panel import views

app_name = "panel"

urlpatterns = [
    path("", views.sign_up, name="sign_up"),
    path("merci/", views.sign_up_done, name="sign_up_done"),
    path("confirmer/<str:token>/", views.confirm, name="confirm"),
    path("invitation/<str:token>/", views.answer, name="answer"),
    path("quitter/<str:token>/", views.leave, name="leave"),
]
