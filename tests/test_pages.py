"""The readers' pages in all three languages: content, languages, metadata, pagination,
the date archive, error pages and the cache."""

import json
from datetime import datetime, timedelta

import pytest
from django.template import loader
from django.urls import reverse
from django.utils import timezone, translation

from archive.dates import month_counts
from archive.models import Article, Tag
from archive.templatetags.archive_tags import articles_count

from . import pages_support
from .factories import ArticleFactory, RubricFactory, SourceFactory, TagFactory
from .pages_support import (
    LANGUAGES,
    SEED_SLUG,
    head_links,
    parse_html,
    svg_path,
    text_of,
)

empty_cache = pages_support.empty_cache  # fixtures used by the tests below
seed = pages_support.seed

pytestmark = pytest.mark.django_db


def url(name, lang="ru", *args, query=""):
    with translation.override(lang):
        return reverse(f"archive:{name}", args=args) + query


def baku(*args):
    return timezone.make_aware(datetime(*args), timezone.get_default_timezone())


PAGES = [
    ("home", ()),
    ("article-list", ()),
    ("article-detail", (SEED_SLUG,)),
    ("rubric-index", ()),
    ("rubric-detail", ("ikt",)),
    ("tag-index", ()),
    ("tag-detail", ("oon",)),
    ("source-index", ()),
    ("source-detail", ("apa",)),
    ("archive-index", ()),
    ("archive-year", (2024,)),
    ("archive-month", (2024, 8)),
    ("archive-day", (2024, 8, 9)),
]


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize(("name", "args"), PAGES, ids=[p[0] for p in PAGES])
def test_every_page_type_in_every_language(client, seed, name, args, lang):
    response = client.get(url(name, lang, *args))
    assert response.status_code == 200
    doc = parse_html(response)
    assert doc.get("lang") == lang
    assert len(doc.findall(".//h1")) == 1
    # Canonical URL and hreflang alternates (the seed exists in all three languages).
    [canonical] = head_links(doc, "canonical")
    assert canonical["href"] == "http://testserver" + url(name, lang, *args)
    alternates = {a["hreflang"]: a["href"] for a in head_links(doc, "alternate") if "hreflang" in a}
    assert alternates == {
        "ru": "http://testserver" + url(name, "ru", *args),
        "az": "http://testserver" + url(name, "az", *args),
        "en": "http://testserver" + url(name, "en", *args),
        "x-default": "http://testserver" + url(name, "ru", *args),
    }
    # The language switcher links to this page in each language.
    switcher = doc.find(".//nav[@class='languages']")
    links = {a.get("hreflang"): a.get("href") for a in switcher.iter("a")}
    assert links == {code: url(name, code, *args) for code in LANGUAGES}
    # Feed autodiscovery: every page offers the site's feeds.
    feeds = {a["href"] for a in head_links(doc, "alternate") if "type" in a}
    assert {url("feed", lang), url("feed-atom", lang)} <= feeds
    assert doc.find(".//meta[@property='og:title']") is not None
    assert doc.find(".//meta[@property='og:url']").get("content") == canonical["href"]


def test_home_shows_latest_rubrics_and_busiest_tags(client, seed):
    doc = parse_html(client.get("/"))
    assert text_of(doc.find(".//h1")) == "Последние новости"
    cards = [text_of(h) for h in doc.findall(".//section[@class='latest']//article//h3")]
    assert cards[0] == "Конвенция ООН против киберпреступности открыта для подписания в Ханое"
    assert len(cards) == 5
    assert "ИКТ" in text_of(doc.find(".//section[@class='latest']//p[@class='eyebrow']"))
    tags = text_of(doc.find(".//section[@class='popular-tags']"))
    assert "киберпреступность" in tags and "5 статей" in tags
    assert "ООН" in tags


@pytest.mark.parametrize(
    ("lang", "title", "people", "timeline"),
    [
        ("ru", "Подготовлен и принят итоговый проект", "Гасан Мансуров", "Хронология сюжета"),
        ("az", "yekun layihəsi hazırlanıb", "Həsən Mənsurov", "Süjetin xronologiyası"),
        ("en", "Final draft of the", "Hasan Mansurov", "Story timeline"),
    ],
)
def test_seed_article_in_each_language(client, seed, lang, title, people, timeline):
    doc = parse_html(client.get(url("article-detail", lang, SEED_SLUG)))
    assert title in text_of(doc.find(".//h1"))
    assert doc.find(".//h1").get("lang") is None  # a real translation, not a fallback
    assert doc.find(".//p[@class='fallback-notice']") is None
    body = text_of(doc.find(".//div[@class='body']"))
    assert {"ru": "Заключительная сессия", "az": "BMT Baş Assambleyasının", "en": "concluding"}[
        lang
    ] in body
    # Tags grouped by kind, in the order people, organisations, places, topics.
    groups = doc.findall(".//section[@class='tags']//dt")
    assert len(groups) == 4
    kinds = {
        "ru": ["Люди", "Организации", "Места", "Темы"],
        "az": ["Şəxslər", "Təşkilatlar", "Məkanlar", "Mövzular"],
        "en": ["People", "Organisations", "Places", "Topics"],
    }
    assert [text_of(dt) for dt in groups] == kinds[lang]
    tags = text_of(doc.find(".//section[@class='tags']"))
    assert people in tags
    links = {a.get("href") for a in doc.findall(".//section[@class='tags']//a")}
    assert url("tag-detail", lang, "gasan-mansurov") in links
    # Video block, source, the story's timeline (the related notes are its steps, so no
    # «related articles» block repeats them: tests/test_stories.py), other translations.
    assert doc.find(".//figure[@class='video']") is not None
    assert "https://apa.az" in {a.get("href") for a in doc.iter("a")}
    assert url("source-detail", lang, "apa") in {a.get("href") for a in doc.iter("a")}
    assert text_of(doc.find(".//section[@class='timeline-block']/h2")) == timeline
    assert len(doc.findall(".//section[@class='timeline-block']/ol/li")) == 5
    assert doc.find(".//section[@class='related']") is None
    others = doc.findall(".//section[@class='translations']//a")
    others = {a.get("hreflang"): a.get("href") for a in others}
    assert others == {c: url("article-detail", c, SEED_SLUG) for c in LANGUAGES if c != lang}


def test_article_metadata_open_graph_and_json_ld(client, seed):
    doc = parse_html(client.get(url("article-detail", "en", SEED_SLUG)))
    meta = {m.get("property"): m.get("content") for m in doc.findall(".//meta[@property]")}
    assert meta["og:type"] == "article"
    assert meta["og:title"].startswith("Final draft of the")
    assert meta["og:locale"] == "en_US"
    assert meta["article:published_time"] == "2024-08-09"  # the source gave no time
    assert meta["article:section"] == "ICT"
    [script] = doc.findall(".//script[@type='application/ld+json']")
    data = json.loads(script.text)
    assert data["@type"] == "NewsArticle"
    assert data["headline"].startswith("Final draft of the")
    assert data["inLanguage"] == "en"
    assert data["datePublished"] == "2024-08-09"
    assert data["articleSection"] == "ICT"
    assert data["author"] == {"@type": "Organization", "name": "APA", "url": "https://apa.az"}
    assert {"@type": "Person", "name": "Hasan Mansurov"}.items() <= data["about"][0].items() or any(
        a["name"] == "Hasan Mansurov" and a["@type"] == "Person" for a in data["about"]
    )
    assert data["url"] == "http://testserver" + url("article-detail", "en", SEED_SLUG)
    assert {t["inLanguage"] for t in data["translationOfWork"]} == {"ru", "az"}


def test_json_ld_cannot_be_broken_out_of(client):
    title = 'Конвенция </script><script>alert("x")</script> & <!-- ООН'
    article = ArticleFactory(title_ru=title, lead_ru="</SCRIPT>")
    response = client.get(article.get_absolute_url())
    html = response.content.decode()
    assert "<script>alert" not in html
    doc = parse_html(response)
    assert [s.get("type") for s in doc.findall(".//script") if not s.get("src")] == [
        "application/ld+json"
    ]
    data = json.loads(doc.find(".//script[@type='application/ld+json']").text)
    assert data["headline"] == title
    assert data["description"] == "</SCRIPT>"


def test_a_fallback_is_marked_and_not_offered_as_a_translation(client):
    article = ArticleFactory(title_ru="Только по-русски", body_ru="<p>Текст</p>", lead_ru="")
    doc = parse_html(client.get(url("article-detail", "en", article.slug)))
    notice = doc.find(".//p[@class='fallback-notice']")
    assert "Russian" in text_of(notice)
    assert doc.find(".//h1").get("lang") == "ru"
    assert doc.find(".//div[@class='body']").get("lang") == "ru"
    assert doc.find(".//article[@class='article']").get("data-shown-language") == "ru"
    # Search engines get the Russian page as canonical and no English alternate.
    [canonical] = head_links(doc, "canonical")
    assert canonical["href"] == "http://testserver" + url("article-detail", "ru", article.slug)
    alternates = {a["hreflang"] for a in head_links(doc, "alternate") if "hreflang" in a}
    assert alternates == {"ru", "x-default"}
    switcher = doc.find(".//nav[@class='languages']")
    untranslated = {
        a.get("hreflang") for a in switcher.iter("a") if a.get("class") == "untranslated"
    }
    assert untranslated == {"az"}  # English is the current page, marked aria-current
    # In Russian nothing is marked.
    doc = parse_html(client.get(url("article-detail", "ru", article.slug)))
    assert doc.find(".//p[@class='fallback-notice']") is None
    assert doc.find(".//h1").get("lang") is None


def test_partial_translation_marks_only_the_fallback_parts(client):
    article = ArticleFactory(
        title_ru="Заголовок", title_en="Headline", body_ru="<p>Текст</p>", body_en="", lead_ru=""
    )
    doc = parse_html(client.get(url("article-detail", "en", article.slug)))
    assert doc.find(".//h1").get("lang") is None
    assert doc.find(".//div[@class='body']").get("lang") == "ru"
    assert doc.find(".//p[@class='fallback-notice']") is not None


def test_tag_page_names_its_kind_and_offers_its_feed(client, seed):
    doc = parse_html(client.get(url("tag-detail", "az", "gasan-mansurov")))
    assert text_of(doc.find(".//h1")) == "Həsən Mənsurov"
    crumbs = doc.findall(".//nav[@class='breadcrumbs']//li")
    assert [text_of(li) for li in crumbs] == ["Ana səhifə", "Teqlər", "Şəxslər", "Həsən Mənsurov"]
    assert crumbs[2].find("a").get("href") == "/az/tags/?kind=person"
    feeds = {a["href"]: a["type"] for a in head_links(doc, "alternate") if "type" in a}
    assert feeds[url("tag-feed", "az", "gasan-mansurov")] == "application/rss+xml"
    assert feeds[url("tag-feed-atom", "az", "gasan-mansurov")] == "application/atom+xml"
    visible = doc.find(".//a[@class='feed-link']")
    assert visible.get("href") == url("tag-feed", "az", "gasan-mansurov")
    cards = doc.findall(".//main/article")
    assert len(cards) == 1


def test_tag_index_groups_kinds_with_counts(client, seed):
    doc = parse_html(client.get(url("tag-index")))
    sections = doc.findall(".//main/section")
    assert [s.get("id") for s in sections] == ["person", "organisation", "place", "topic"]
    topics = text_of(sections[3])
    assert "киберпреступность 5 статей" in topics
    assert "электронные доказательства 1 статья" in topics
    people = parse_html(client.get(url("tag-index", query="?kind=person")))
    names = [text_of(a) for a in people.findall(".//ul[@class='cloud']//a")]
    assert sorted(names) == ["Гасан Мансуров", "Орхан Абдулкеримли", "Эмин Гамбарли"]
    assert client.get(url("tag-index", query="?kind=planet")).status_code == 404


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("ru", ["1 статья", "2 статьи", "4 статьи", "5 статей", "11 статей", "21 статья",
                "22 статьи", "25 статей", "111 статей"]),
        ("az", ["1 məqalə", "2 məqalə", "4 məqalə", "5 məqalə", "11 məqalə", "21 məqalə",
                "22 məqalə", "25 məqalə", "111 məqalə"]),
        ("en", ["1 article", "2 articles", "4 articles", "5 articles", "11 articles",
                "21 articles", "22 articles", "25 articles", "111 articles"]),
    ],
)  # fmt: skip
def test_plural_forms(lang, expected):
    with translation.override(lang):
        assert [articles_count(n) for n in (1, 2, 4, 5, 11, 21, 22, 25, 111)] == expected


def test_counts_on_pages_use_plural_forms(client):
    rubric = RubricFactory(name_ru="Политика")
    tags = {n: TagFactory(name_ru=f"Тег{n}") for n in (1, 2, 5)}
    for n, tag in tags.items():
        for _ in range(n):
            ArticleFactory(rubric=rubric, tags=[tag])
    text = text_of(parse_html(client.get(url("tag-index"))).find(".//main"))
    assert "Тег1 1 статья" in text and "Тег2 2 статьи" in text and "Тег5 5 статей" in text
    assert "8 статей" in text_of(parse_html(client.get(rubric.get_absolute_url())).find(".//main"))


@pytest.fixture
def many_articles(db):
    rubric = RubricFactory(name_ru="Экономика")
    tag = TagFactory(name_ru="нефть", kind=Tag.Kind.TOPIC)
    source = SourceFactory(name="Агентство")
    start = baku(2023, 5, 1, 10)
    return [
        ArticleFactory(
            rubric=rubric, tags=[tag], source=source, published_at=start + timedelta(hours=i)
        )
        for i in range(25)
    ]


@pytest.mark.parametrize(
    "path",
    [
        "/articles/",
        "/rubrics/ekonomika/",
        "/tags/neft/",
        "/sources/agentstvo/",
        "/2023/",
        "/2023/05/",
        "/2023/05/02/",
        "/en/tags/neft/",
    ],
)
def test_pagination_and_bad_page_numbers(client, many_articles, path):
    first = parse_html(client.get(path))
    pagination = first.find(".//nav[@class='pagination']")
    if path.endswith("/02/"):  # one day holds 14 of them: a single page
        assert pagination is None
        assert client.get(path + "?page=2").status_code == 404
        return
    next_link = pagination.find(".//a[@rel='next']")
    assert next_link.get("href") == "?page=2"
    second = client.get(path + "?page=2")
    assert second.status_code == 200
    doc = parse_html(second)
    assert len(doc.findall(".//main/article")) == 5
    prev = doc.find(".//nav[@class='pagination']//a[@rel='prev']")
    assert prev.get("href") == "?"  # page 1 has no ?page=
    [canonical] = head_links(doc, "canonical")
    assert canonical["href"].endswith(path + "?page=2")
    for bad in ("3", "0", "-1", "abc", "2.5", "99999999999999999999", "%00"):
        response = client.get(f"{path}?page={bad}")
        assert response.status_code == 404, bad
        parse_html(response)


def test_not_found_page_is_ours_and_readable(client, db):
    for path, heading in (
        ("/articles/nothing-here/", "Страница не найдена"),
        ("/en/tags/nothing/", "Page not found"),
        ("/az/no/such/page/", "Səhifə tapılmadı"),
    ):
        response = client.get(path)
        assert response.status_code == 404
        doc = parse_html(response)
        assert text_of(doc.find(".//h1")) == heading
        assert doc.find(".//meta[@name='robots']").get("content") == "noindex"
        assert head_links(doc, "canonical") == []
        switcher = doc.find(".//nav[@class='languages']")
        assert len(list(switcher.iter("a"))) == 3


def test_a_bad_request_is_our_page_in_the_pages_language(client, db):
    # Django's own 400 is one English line, «Bad Request (400)», on /az/ as anywhere.
    too_many = "&".join(["a=1"] * 1001)  # past DATA_UPLOAD_MAX_NUMBER_FIELDS
    for path, heading, lang in (
        (f"/az/?{too_many}", "Yanlış sorğu", "az"),
        (f"/en/search/?{too_many}", "Bad request", "en"),
        (f"/tags/?{too_many}", "Неверный запрос", "ru"),
    ):
        response = client.get(path)
        assert response.status_code == 400
        doc = parse_html(response)
        assert (text_of(doc.find(".//h1")), doc.get("lang")) == (heading, lang)
    # A host not in ALLOWED_HOSTS (with SECURE_SSL_REDIRECT, refused before the language
    # is read from the path: then in Russian).
    response = client.get("/az/", HTTP_HOST="evil.example")
    assert response.status_code == 400
    assert text_of(parse_html(response).find(".//h1")) == "Yanlış sorğu"


def test_server_error_page_renders_without_a_request_or_database(django_assert_num_queries):
    with django_assert_num_queries(0):
        html = loader.get_template("500.html").render()
    import html5lib

    html5lib.HTMLParser(strict=True).parse(html)
    assert "<h1>" in html


def test_drafts_and_scheduled_articles_are_not_shown(client, db):
    draft = ArticleFactory(title_ru="Черновик", status=Article.Status.DRAFT)
    scheduled = ArticleFactory(
        title_ru="Запланированная", published_at=timezone.now() + timedelta(days=1)
    )
    assert client.get(draft.get_absolute_url()).status_code == 404
    assert client.get(scheduled.get_absolute_url()).status_code == 404
    home = client.get("/").content.decode()
    assert "Черновик" not in home and "Запланированная" not in home


# The date archive -----------------------------------------------------------------------


@pytest.fixture
def dated(db):
    return {
        "jan": ArticleFactory(title_ru="Январская", published_at=baku(2021, 1, 15, 12)),
        "mar1": ArticleFactory(title_ru="Мартовская первая", published_at=baku(2021, 3, 2, 9)),
        "mar2": ArticleFactory(title_ru="Мартовская вторая", published_at=baku(2021, 3, 2, 23, 30)),
        "late": ArticleFactory(title_ru="Поздняя", published_at=baku(2023, 7, 1, 0, 15)),
    }


def test_year_page_has_a_timeline_and_links_to_other_years(client, dated):
    doc = parse_html(client.get("/2021/"))
    assert text_of(doc.find(".//h1")) == "2021"
    svg = doc.find(svg_path(".//svg"))
    # A labelled group: an image may not hold links, even hidden ones (axe-core).
    assert (svg.get("role"), svg.get("aria-label")) == ("group", "Статьи по месяцам за 2021 год")
    bars = svg.findall(svg_path(".//g"))
    assert len(bars) == 12
    titles = [text_of(g.find(svg_path(".//title"))) for g in bars]
    assert titles[0] == "Январь 2021: 1 статья"
    assert titles[1] == "Февраль 2021: 0 статей"
    assert titles[2] == "Март 2021: 2 статьи"
    linked = [a.get("href") for a in svg.iter(svg_path("a"))]
    assert linked == ["/2021/01/", "/2021/03/"]
    months = [a.get("href") for a in doc.findall(".//nav[@class='months']//a")]
    assert months == ["/2021/01/", "/2021/03/"]
    periods = [a.get("href") for a in doc.findall(".//nav[@class='periods']//a")]
    assert periods == ["/2023/"]  # no article in 2022: the next period with articles
    assert "3 статьи" in text_of(doc.find(".//p[@class='meta']"))


def test_azerbaijani_month_labels_take_the_dotted_capital(client, dated):
    # Python's "iyn".capitalize() is «Iyn», the capital of «ı»; June is «İyun» in full.
    doc = parse_html(client.get("/az/2021/"))
    bars = doc.find(svg_path(".//svg")).findall(svg_path(".//g"))
    labels = [
        text_of(t) for g in bars for t in g.iter(svg_path("text")) if t.get("class") != "count"
    ]
    assert labels[5:7] == ["İyn", "İyl"]
    assert text_of(bars[5].find(svg_path(".//title"))) == "İyun 2021: 0 məqalə"


def test_month_page_has_a_calendar_and_skips_empty_months(client, dated):
    doc = parse_html(client.get("/en/2021/03/"))
    assert text_of(doc.find(".//h1")) == "March 2021"
    days = [a.get("href") for a in doc.findall(".//table[@class='calendar']//a")]
    assert days == ["/en/2021/03/02/"]
    periods = [a.get("href") for a in doc.findall(".//nav[@class='periods']//a")]
    assert periods == ["/en/2021/01/", "/en/2023/07/"]
    current = doc.find(svg_path(".//svg//g") + "[@class='bar current']")
    assert text_of(current.find(svg_path(".//title"))) == "March 2021: 2 articles"


def test_day_page_follows_the_newsroom_time_zone(client, dated):
    # 23:30 in Baku on 2 March is still 2 March, though it is 19:30 UTC.
    doc = parse_html(client.get("/2021/03/02/"))
    titles = [text_of(h) for h in doc.findall(".//main/article//h2")]
    assert titles == ["Мартовская вторая", "Мартовская первая"]
    periods = [a.get("href") for a in doc.findall(".//nav[@class='periods']//a")]
    assert periods == ["/2021/01/15/", "/2023/07/01/"]
    # 00:15 in Baku on 1 July 2023 is 30 June in UTC.
    assert "Поздняя" in client.get("/2023/07/01/").content.decode()


@pytest.mark.parametrize(
    "path", ["/2022/", "/2021/02/", "/2021/03/03/", "/2021/13/", "/2021/02/30/", "/0/",
             "/99999/", "/2021/0/", "/2021/3/0/", "/1900/01/01/"],
)  # fmt: skip
def test_empty_or_impossible_periods_are_404(client, dated, path):
    response = client.get(path)
    assert response.status_code == 404
    parse_html(response)


def test_archive_index_draws_every_year(client, dated):
    doc = parse_html(client.get("/archive/"))
    rows = doc.findall(".//table[@class='years']/tbody/tr")
    assert [text_of(r.find("th")) for r in rows] == ["2023", "2021"]
    assert len(rows[1].findall(svg_path(".//svg//g"))) == 12
    assert text_of(rows[1].findall("td")[-1]) == "3 статьи"


# The cache --------------------------------------------------------------------------------


def test_the_month_counts_are_read_once_per_content_change(dated, django_assert_num_queries):
    counts = month_counts()
    with django_assert_num_queries(0):
        assert month_counts() == counts  # the year, month and day pages, the sitemap
    assert counts == {(2021, 1): 1, (2021, 3): 2, (2023, 7): 1}
    ArticleFactory(published_at=baku(2021, 2, 27, 10))
    assert month_counts()[(2021, 2)] == 1
    dated["jan"].delete()
    assert (2021, 1) not in month_counts()


def test_list_pages_follow_publishing_editing_and_unpublishing(
    client, db, django_capture_on_commit_callbacks
):
    tag = TagFactory(name_ru="нефть")
    first = ArticleFactory(title_ru="Первая статья", tags=[tag])
    pages = ["/", "/articles/", tag.get_absolute_url(), first.rubric.get_absolute_url()]
    for page in pages:
        assert "Первая статья" in client.get(page).content.decode()
    # Served from the cache: a change made behind the ORM's back is not seen ...
    Article.objects.filter(pk=first.pk).update(title_ru="Тайком")
    assert "Тайком" not in client.get("/").content.decode()
    # ... a save is.
    with django_capture_on_commit_callbacks(execute=True):
        first.title_ru = "Исправленная статья"
        first.save()
    for page in pages:
        assert "Исправленная статья" in client.get(page).content.decode(), page
    with django_capture_on_commit_callbacks(execute=True):
        second = ArticleFactory(title_ru="Вторая статья", tags=[tag], rubric=first.rubric)
    for page in pages:
        assert "Вторая статья" in client.get(page).content.decode(), page
    with django_capture_on_commit_callbacks(execute=True):
        second.status = Article.Status.DRAFT
        second.save()
    for page in pages:
        assert "Вторая статья" not in client.get(page).content.decode(), page


def test_a_scheduled_article_appears_when_its_time_comes(client, db, monkeypatch):
    ArticleFactory(title_ru="Сегодняшняя")
    soon = timezone.now() + timedelta(minutes=5)
    ArticleFactory(title_ru="Запланированная", published_at=soon)
    assert "Запланированная" not in client.get("/").content.decode()
    later = soon + timedelta(seconds=1)
    monkeypatch.setattr(timezone, "now", lambda: later)
    monkeypatch.setattr("archive.cache.time.time", lambda: later.timestamp())
    assert "Запланированная" in client.get("/").content.decode()


def test_renaming_a_tag_or_rubric_refreshes_the_lists(
    client, db, django_capture_on_commit_callbacks
):
    # Names no generated text contains («газ» is in «магазин»).
    tag = TagFactory(name_ru="Нефть-К7")
    article = ArticleFactory(tags=[tag])
    assert "Нефть-К7" in client.get("/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        tag.name_ru = "Газ-К7"
        tag.save()
        article.rubric.name_ru = "Энергетика"
        article.rubric.save()
    home = client.get("/").content.decode()
    assert "Газ-К7" in home and "Нефть-К7" not in home and "Энергетика" in home
    with django_capture_on_commit_callbacks(execute=True):
        article.tags.remove(tag)
    assert "Газ-К7" not in client.get("/").content.decode()


def test_unknown_query_parameters_redirect_to_the_cached_page(
    client, seed, django_assert_num_queries
):
    doc = parse_html(client.get("/tags/oon/"))
    [canonical] = head_links(doc, "canonical")
    assert canonical["href"] == "http://testserver/tags/oon/"
    switcher = doc.find(".//nav[@class='languages']")
    links = {a.get("href") for a in switcher.iter("a")}
    assert links == {"/tags/oon/", "/az/tags/oon/", "/en/tags/oon/"}
    for query in ("utm_source=mail", "page=1", "page=1&utm_source=mail"):
        with django_assert_num_queries(0):  # the redirect, then the page from the cache
            response = client.get(f"/tags/oon/?{query}")
            assert response.status_code == 301
            assert response["Location"] == "/tags/oon/"
            assert client.get(response["Location"]).status_code == 200


@pytest.mark.parametrize(
    ("query", "status", "location"),
    [
        ("page=01", 301, "/tags/"),
        ("page=1&page=1", 301, "/tags/"),
        ("kind=person&kind=person", 301, "/tags/?kind=person"),
        ("page=%201", 404, None),
    ],
)
def test_odd_spellings_of_a_page_redirect_or_are_404(
    client, seed, query, status, location, django_assert_num_queries
):
    # Otherwise `?page=01`, `?page=0001`... would each fill the cache with a copy of page 1.
    client.get(f"/tags/?{query}")
    with django_assert_num_queries(0):
        response = client.get(f"/tags/?{query}")
    assert response.status_code == status
    assert response.get("Location") == location


@pytest.mark.django_db
def test_an_articles_links_carry_no_query_it_was_asked_with(client):
    """The article page is not behind cached_page: its canonical and language links
    must not repeat what a visitor put in the URL."""
    article = ArticleFactory(title_ru="Статья", slug="statya")
    html = client.get(article.get_absolute_url(), {"page": "junk", "kind": "<x>"}).content
    html = html.decode()
    assert 'rel="canonical" href="http://testserver/articles/statya/"' in html
    assert "junk" not in html and "%3Cx%3E" not in html
