"""The site's RSS 2.0 and Atom feeds, a module per part:

- base: ArticleFeed, what every feed shares: its items and their fields (how to write
  a new feed is told there);
- conditional: ConditionalFeed, what a request goes through before a feed is rendered:
  GET and HEAD only, one URL per feed, ETag and Last-Modified from the feed's own items
  (archive/feed_freshness.py, 304) and the rendered body in the cache;
- subjects: the feeds the site serves: latest, per language, rubric, tag, source, story;
- formats: RssFeed and AtomFeed, the XML writers (titles escaped as HTML);
- item_languages: the language each item is shown in, and its marking in the XML;
- media: the lead image and the video as enclosures and Media RSS.

Each feed is served in both formats: `LatestFeed()` is RSS, `LatestFeed(AtomFeed)` is
Atom (archive/urls.py).
"""
