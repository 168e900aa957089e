"""The home page as a news front: a lead story with its picture, the next stories in a
"main" block, a column of the latest headlines beside them, a block per rubric below,
and the most used tags.

Three queries whatever the number of articles, rubrics and tags: the newest articles,
each rubric's newest (a window per rubric, leaving out what the top of the page shows),
the tags with their counts. The page is cached (archive/cache.py).
"""

from django.db.models import F, Window
from django.db.models.functions import RowNumber

from .models import Tag
from .renditions import renditions_of

MAIN_STORIES = 4  # under the lead, two by two, beside the column of headlines
# The column of headlines should end level with the lead and the main block beside it,
# whose height depends on their pictures: so many headlines for the text, and more for
# the lead's picture and each row of the main block that has one (measured at 1280 px:
# a headline ~140 px, the lead's picture ~460, a row's pictures ~220).
HEADLINES_FOR_TEXT = 4
HEADLINES_FOR_LEAD_PICTURE = 3
HEADLINES_FOR_ROW_PICTURES = 2
# The lead is the newest story with a picture among the first LEAD_WINDOW: a story
# a few hours older with a picture makes a better front than a bare headline.
LEAD_WINDOW = 5
RUBRIC_STORIES = 4
POPULAR_TAGS = 20


def has_picture(article):
    return bool(article.lead_image_id and renditions_of(article.lead_image))


def pick_lead(articles):
    """The newest article with a picture among the first LEAD_WINDOW; else the newest."""
    candidates = articles[:LEAD_WINDOW]
    return next((a for a in candidates if has_picture(a)), candidates[0] if candidates else None)


def rubric_blocks(published, shown_ids):
    """[(rubric, [newest articles not shown above])] in the rubrics' order, one query."""
    # The window ranks ids only, in a subquery: ranked with every column (bodies too),
    # SQLite sorted whole rows, 215 ms on the 20,916-article corpus.
    ranked = (
        published.filter(rubric__isnull=False)
        .exclude(pk__in=shown_ids)
        .annotate(
            rank=Window(
                RowNumber(),
                partition_by=F("rubric_id"),
                order_by=[F("published_at").desc(), F("pk").desc()],
            )
        )
        .filter(rank__lte=RUBRIC_STORIES)
        .values("pk")
    )
    newest = published.filter(pk__in=ranked)
    blocks = {}
    for article in newest:
        blocks.setdefault(article.rubric, []).append(article)
    for articles in blocks.values():
        articles.sort(key=lambda a: (a.published_at, a.pk), reverse=True)
        # The block opens with a story that has a picture, when it has one.
        first = next((a for a in articles if has_picture(a)), articles[0])
        articles.remove(first)
        articles.insert(0, first)
    return sorted(blocks.items(), key=lambda kv: (kv[0].position, str(kv[0]).casefold()))


def popular_tags(count_annotation):
    tags = Tag.objects.annotate(count=count_annotation).filter(count__gt=0)
    return list(tags.order_by("-count", "pk")[:POPULAR_TAGS])


def headline_count(lead, main_stories):
    rows = [main_stories[i : i + 2] for i in range(0, len(main_stories), 2)]
    return (
        HEADLINES_FOR_TEXT
        + (HEADLINES_FOR_LEAD_PICTURE if lead is not None and has_picture(lead) else 0)
        + HEADLINES_FOR_ROW_PICTURES * sum(any(map(has_picture, row)) for row in rows)
    )


MOST_HEADLINES = HEADLINES_FOR_TEXT + HEADLINES_FOR_LEAD_PICTURE + 2 * HEADLINES_FOR_ROW_PICTURES


def front_page(published, count_annotation):
    """The home page's context from the published queryset (with rubric, source and
    lead image selected) and the annotation that counts a tag's published articles."""
    latest = list(published[: 1 + MAIN_STORIES + MOST_HEADLINES])
    lead = pick_lead(latest)
    rest = [a for a in latest if a is not lead]
    main_stories = rest[:MAIN_STORIES]
    headlines = rest[MAIN_STORIES : MAIN_STORIES + headline_count(lead, main_stories)]
    shown = ([lead] if lead else []) + main_stories + headlines
    return {
        "lead": lead,
        "main_stories": main_stories,
        "latest_headlines": headlines,
        "rubric_blocks": rubric_blocks(published, [a.pk for a in shown]),
        "popular_tags": popular_tags(count_annotation),
    }
