from django.urls import path

from news import feeds

urlpatterns = [
    path("", feeds.NewsFeed(), name="news_feed_rss"),
    path("atom/", feeds.NewsAtomFeed(), name="news_feed_atom"),
    path("columns/<slug:slug>/", feeds.ColumnFeed(), name="news_column_feed_rss"),
    path("columns/<slug:slug>/atom/", feeds.ColumnAtomFeed(), name="news_column_feed_atom"),
    path("streets/<slug:slug>/", feeds.StreetFeed(), name="news_street_feed_rss"),
    path("streets/<slug:slug>/atom/", feeds.StreetAtomFeed(), name="news_street_feed_atom"),
]
