"""The news' Atom feed (django.contrib.syndication)."""

from django.contrib.syndication.views import Feed
from django.urls import reverse_lazy
from django.utils.feedgenerator import Atom1Feed

from content.selectors import published_news

FEED_SIZE = 20


class NewsFeed(Feed):
    feed_type = Atom1Feed
    title = "Actualités — Services Publics+"
    link = reverse_lazy("content:news_list")
    subtitle = "Les actualités de la plateforme Services Publics+."
    author_name = "Services Publics+"

    def items(self):
        return published_news()[:FEED_SIZE]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.summary

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.published_at
