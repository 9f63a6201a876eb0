"""Advice and news: lists, one page each, the news' Atom feed and images."""

from django.urls import path

from content import views
from content.feeds import NewsFeed

app_name = "content"

urlpatterns = [
    path("conseils/", views.advice_list, name="advice_list"),
    path("conseils/<slug:slug>/", views.advice_detail, name="advice_detail"),
    path("actualites/", views.news_list, name="news_list"),
    path("actualites/flux.atom", NewsFeed(), name="news_feed"),
    path("actualites/<slug:slug>/", views.news_detail, name="news_detail"),
    path("actualites/<slug:slug>/image", views.news_image, name="news_image"),
]
