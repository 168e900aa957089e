"""An article's media in its feed item: the lead image and a video file as enclosures,
and Media RSS (<media:thumbnail>, <media:content> for a video file, <media:player> for a
video page).

ArticleFeed (base.py) takes the item's enclosures and media from here, their URLs still
relative (its get_feed has the request to make them absolute); both writers
(formats.py) write them with `add_media()`.
"""

from django.utils import feedgenerator

from ..pictures import image_enclosures, image_thumbnail
from ..views import video_info

MEDIA_NS = "http://search.yahoo.com/mrss/"


def article_enclosures(article, atom):
    enclosures = []
    video = video_info(article)
    if video and video["is_file"]:
        # The length is unknown without fetching the file; 0 is the accepted "unknown".
        enclosures.append(feedgenerator.Enclosure(video["url"], "0", video["mime_type"]))
    # The lead image too (made absolute in get_feed); RSS allows one enclosure only,
    # and there a video file comes first.
    if article.lead_image_id and (atom or not enclosures):
        enclosures += image_enclosures(article.lead_image)
    return enclosures


def article_media(article):
    """The item's `video` (views.video_info) and `thumbnail` (attributes), for add_media."""
    return {
        "video": video_info(article),
        "thumbnail": image_thumbnail(article.lead_image) if article.lead_image_id else None,
    }


def add_media(handler, item):
    thumbnail = item.get("thumbnail")
    if thumbnail:
        handler.addQuickElement("media:thumbnail", "", thumbnail)
    video = item.get("video")
    if not (video and video["url"]):
        return
    if video["is_file"]:
        attrs = {"url": video["url"], "medium": "video", "type": video["mime_type"]}
        handler.addQuickElement("media:content", "", attrs)
    else:
        handler.addQuickElement("media:player", "", {"url": video["url"]})
