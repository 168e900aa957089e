"""Synthetic, clearly labelled demo articles (for a fresh site and for benchmarks).

Russian sentences are assembled from a small vocabulary and inflected with
pymorphy3 (case, number and gender agree), so search sees the word forms real
news has. The Azerbaijani and English versions are template sentences over a
parallel vocabulary. Everything is deterministic for a given seed.
"""

import random
from datetime import UTC, datetime, timedelta
from functools import lru_cache

from search.analysis import morph_analyzer

DEMO_SOURCE = "Демо-генератор архива"

# (Russian lemma, Azerbaijani, English)
NOUNS = [
    # No «конвенция», «комитет», «сессия»: searches for the seed story stay about it.
    ("программа", "proqram", "programme"), ("команда", "komanda", "team"),
    ("совет", "şura", "council"), ("встреча", "görüş", "meeting"),
    ("правительство", "hökumət", "government"), ("министерство", "nazirlik", "ministry"),
    ("соглашение", "saziş", "agreement"), ("проект", "layihə", "project"),
    ("сотрудничество", "əməkdaşlıq", "cooperation"), ("безопасность", "təhlükəsizlik", "security"),
    ("технология", "texnologiya", "technology"), ("преступление", "cinayət", "crime"),
    ("доказательство", "sübut", "evidence"), ("государство", "dövlət", "state"),
    ("эксперт", "ekspert", "expert"), ("компания", "şirkət", "company"),
    ("город", "şəhər", "city"), ("выставка", "sərgi", "exhibition"),
    ("университет", "universitet", "university"), ("исследование", "tədqiqat", "study"),
    ("рынок", "bazar", "market"), ("банк", "bank", "bank"), ("нефть", "neft", "oil"),
    ("газ", "qaz", "gas"), ("порт", "liman", "port"), ("дорога", "yol", "road"),
    ("школа", "məktəb", "school"), ("больница", "xəstəxana", "hospital"),
    ("человек", "insan", "person"), ("закон", "qanun", "law"), ("суд", "məhkəmə", "court"),
    ("парламент", "parlament", "parliament"), ("визит", "səfər", "visit"),
    ("переговоры", "danışıqlar", "talks"), ("спутник", "peyk", "satellite"),
    ("урожай", "məhsul", "harvest"), ("погода", "hava", "weather"),
    ("фестиваль", "festival", "festival"),
]  # fmt: skip
ADJECTIVES = [
    ("международный", "beynəlxalq", "international"), ("новый", "yeni", "new"),
    ("государственный", "dövlət", "state"), ("цифровой", "rəqəmsal", "digital"),
    ("региональный", "regional", "regional"), ("крупный", "iri", "large"),
    ("научный", "elmi", "scientific"), ("энергетический", "enerji", "energy"),
    ("итоговый", "yekun", "final"), ("совместный", "birgə", "joint"),
    ("экономический", "iqtisadi", "economic"), ("культурный", "mədəni", "cultural"),
]  # fmt: skip
VERBS = [
    ("обсудить", "müzakirə etdi", "discussed"), ("подписать", "imzaladı", "signed"),
    ("представить", "təqdim etdi", "presented"), ("одобрить", "təsdiqlədi", "approved"),
    ("поддержать", "dəstəklədi", "supported"), ("изучить", "öyrəndi", "studied"),
    ("открыть", "açdı", "opened"), ("рассмотреть", "nəzərdən keçirdi", "reviewed"),
    ("принять", "qəbul etdi", "adopted"), ("запустить", "işə saldı", "launched"),
]  # fmt: skip
PREPOSITIONS = [("в", "loct"), ("о", "loct"), ("для", "gent"), ("с", "ablt"), ("по", "datv")]
RUBRICS = [
    ("politika", "Политика", "Siyasət", "Politics"),
    ("ekonomika", "Экономика", "İqtisadiyyat", "Economy"),
    ("obshchestvo", "Общество", "Cəmiyyət", "Society"),
    ("nauka", "Наука", "Elm", "Science"),
    ("kultura", "Культура", "Mədəniyyət", "Culture"),
]
TAGS = [
    ("person", "Анна Керимова", "Anna Kərimova", "Anna Kerimova"),
    ("person", "Рашад Алиев", "Rəşad Əliyev", "Rashad Aliyev"),
    ("person", "Ирина Соколова", "İrina Sokolova", "Irina Sokolova"),
    ("organisation", "Институт цифрового развития", "Rəqəmsal İnkişaf İnstitutu",
     "Digital Development Institute"),
    ("organisation", "Ассоциация портов Каспия", "Xəzər Limanları Assosiasiyası",
     "Caspian Ports Association"),
    ("place", "Баку", "Bakı", "Baku"), ("place", "Гянджа", "Gəncə", "Ganja"),
    ("place", "Москва", "Moskva", "Moscow"), ("place", "Женева", "Cenevrə", "Geneva"),
    ("topic", "энергетика", "energetika", "energy"),
    ("topic", "образование", "təhsil", "education"),
    ("topic", "транспорт", "nəqliyyat", "transport"), ("topic", "экология", "ekologiya", "ecology"),
]  # fmt: skip


@lru_cache(maxsize=4096)
def _inflect(lemma, grammemes):
    form = morph_analyzer().parse(lemma)[0].inflect(set(grammemes))
    return form.word if form else lemma


@lru_cache(maxsize=256)
def _noun_tag(noun):
    tag = morph_analyzer().parse(noun)[0].tag
    plural_only = noun == "переговоры"
    return tag.gender or "masc", tag.animacy or "inan", plural_only


def _noun_phrase(rng, case, number):
    """An adjective + noun agreeing in case, number, gender (and animacy in accusative)."""
    adj, noun = rng.choice(ADJECTIVES), rng.choice(NOUNS)
    gender, animacy, plural_only = _noun_tag(noun[0])
    number = "plur" if plural_only else number
    adj_form = (case, "plur") if number == "plur" else (case, gender, "sing")
    if case == "accs" and (number == "plur" or gender == "masc"):
        adj_form += (animacy,)  # «культурный рынок» but «культурного эксперта»
    ru = f"{_inflect(adj[0], adj_form)} {_inflect(noun[0], (case, number))}"
    return ru, f"{adj[1]} {noun[1]}", f"{adj[2]} {noun[2]}", gender, number


def _capitalize_az(text):
    return ("İ" + text[1:]) if text.startswith("i") else text[:1].upper() + text[1:]


def _sentence(rng):
    subj_ru, subj_az, subj_en, gender, number = _noun_phrase(
        rng, "nomn", rng.choice(["sing", "plur"])
    )
    verb = rng.choice(VERBS)
    verb_ru = _inflect(verb[0], ("past", "plur") if number == "plur" else ("past", gender))
    obj_ru, obj_az, obj_en, *_ = _noun_phrase(rng, "accs", rng.choice(["sing", "plur"]))
    prep, case = rng.choice(PREPOSITIONS)
    pp_ru, pp_az, pp_en, *_ = _noun_phrase(rng, case, "sing")
    if prep == "о" and pp_ru[0] in "аеиоуэ":
        prep = "об"
    ru = f"{subj_ru.capitalize()} {verb_ru} {obj_ru} {prep} {pp_ru}."
    az = f"{_capitalize_az(subj_az)} {pp_az} çərçivəsində {obj_az} {verb[1]}."
    en = f"The {subj_en} {verb[2]} the {obj_en} with the {pp_en}."
    return ru, az, en


def generate(count, seed=1, start=datetime(2023, 1, 1, tzinfo=UTC), days=1000):
    """Yield `count` demo article dicts (title/lead/body per language, rubric, tags, date)."""
    rng = random.Random(seed)
    for n in range(count):
        sentences = [_sentence(rng) for _ in range(rng.randint(4, 9))]
        title = [s.rstrip(".") for s in sentences[0]]
        paragraphs = [sentences[i : i + 3] for i in range(1, len(sentences), 3)]
        body = [
            "".join(f"<p>{' '.join(s[lang] for s in para)}</p>" for para in paragraphs)
            for lang in range(3)
        ]
        published = start + timedelta(days=rng.uniform(0, days))
        yield {
            "number": n,
            "title": title,
            "lead": sentences[1],
            "body": body,
            "published": published,
            "rubric": rng.choice(RUBRICS),
            "tags": rng.sample(TAGS, rng.randint(1, 4)),
        }
