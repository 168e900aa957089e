"""Synthetic, clearly labelled demo articles (for a fresh site and for benchmarks).

Russian sentences are assembled from a vocabulary of a few hundred words and
inflected with pymorphy3 (case, number and gender agree), so search sees the word
forms real news has. Like real news, each article is about a few things: it draws
its words from a small topic chosen with Zipf-like weights, so common words are in
many articles and rare ones in few, and a search does not match the whole archive.
The body is about `words` words (300 by default, an agency story's length). The
Azerbaijani and English versions are template sentences over a parallel
vocabulary. Everything is deterministic for a given seed.
"""

import random
from datetime import UTC, datetime, timedelta
from functools import lru_cache

from .languages import morph_analyzer

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
    ("фестиваль", "festival", "festival"), ("завод", "zavod", "plant"),
    ("аэропорт", "hava limanı", "airport"), ("вокзал", "vağzal", "station"),
    ("музей", "muzey", "museum"), ("театр", "teatr", "theatre"),
    ("библиотека", "kitabxana", "library"),
    ("стадион", "stadion", "stadium"), ("турнир", "turnir", "tournament"),
    ("чемпионат", "çempionat", "championship"), ("спортсмен", "idmançı", "athlete"),
    ("врач", "həkim", "doctor"), ("учитель", "müəllim", "teacher"),
    ("студент", "tələbə", "student"),
    ("журналист", "jurnalist", "journalist"), ("инвестор", "investor", "investor"),
    ("бюджет", "büdcə", "budget"), ("налог", "vergi", "tax"), ("кредит", "kredit", "loan"),
    ("экспорт", "ixrac", "export"), ("импорт", "idxal", "import"), ("тариф", "tarif", "tariff"),
    ("цена", "qiymət", "price"), ("зарплата", "maaş", "salary"), ("пенсия", "pensiya", "pension"),
    ("реформа", "islahat", "reform"), ("выборы", "seçkilər", "elections"),
    ("депутат", "deputat", "deputy"), ("министр", "nazir", "minister"),
    ("посол", "səfir", "ambassador"), ("делегация", "nümayəndə heyəti", "delegation"),
    ("граница", "sərhəd", "border"), ("армия", "ordu", "army"), ("полиция", "polis", "police"),
    ("пожар", "yanğın", "fire"), ("авария", "qəza", "accident"), ("наводнение", "daşqın", "flood"),
    ("землетрясение", "zəlzələ", "earthquake"), ("засуха", "quraqlıq", "drought"),
    ("лес", "meşə", "forest"), ("река", "çay", "river"), ("море", "dəniz", "sea"),
    ("остров", "ada", "island"), ("мост", "körpü", "bridge"), ("тоннель", "tunel", "tunnel"),
    ("трубопровод", "boru kəməri", "pipeline"), ("электростанция", "elektrik stansiyası",
     "power station"), ("месторождение", "yataq", "field"),
    ("автомобиль", "avtomobil", "car"), ("поезд", "qatar", "train"),
    ("самолет", "təyyarə", "plane"),
    ("корабль", "gəmi", "ship"), ("смартфон", "smartfon", "smartphone"),
    ("приложение", "tətbiq", "application"), ("платформа", "platforma", "platform"),
    ("сеть", "şəbəkə", "network"), ("робот", "robot", "robot"), ("вакцина", "peyvənd", "vaccine"),
    ("лекарство", "dərman", "medicine"), ("пациент", "xəstə", "patient"),
    ("фермер", "fermer", "farmer"), ("зерно", "taxıl", "grain"), ("хлопок", "pambıq", "cotton"),
    ("виноград", "üzüm", "grapes"), ("туризм", "turizm", "tourism"), ("гостиница", "otel", "hotel"),
    ("концерт", "konsert", "concert"), ("фильм", "film", "film"), ("книга", "kitab", "book"),
    ("художник", "rəssam", "artist"), ("писатель", "yazıçı", "writer"),
    ("архитектор", "memar", "architect"), ("памятник", "abidə", "monument"),
    ("площадь", "meydan", "square"), ("район", "rayon", "district"), ("село", "kənd", "village"),
    ("жилье", "mənzil", "housing"), ("строительство", "tikinti", "construction"),
    ("инфраструктура", "infrastruktur", "infrastructure"), ("отчет", "hesabat", "report"),
    ("прогноз", "proqnoz", "forecast"), ("статистика", "statistika", "statistics"),
    ("опрос", "sorğu", "survey"), ("конкурс", "müsabiqə", "contest"),
    ("премия", "mükafat", "award"),
    ("грант", "qrant", "grant"), ("стартап", "startap", "startup"), ("кризис", "böhran", "crisis"),
    ("инфляция", "inflyasiya", "inflation"), ("валюта", "valyuta", "currency"),
    ("биржа", "birja", "exchange"), ("акция", "səhm", "share"), ("доход", "gəlir", "income"),
    ("прибыль", "mənfəət", "profit"), ("контракт", "müqavilə", "contract"),
    ("поставка", "tədarük", "supply"), ("склад", "anbar", "warehouse"), ("ферма", "ferma", "farm"),
]  # fmt: skip
ADJECTIVES = [
    ("международный", "beynəlxalq", "international"), ("новый", "yeni", "new"),
    ("государственный", "dövlət", "state"), ("цифровой", "rəqəmsal", "digital"),
    ("региональный", "regional", "regional"), ("крупный", "iri", "large"),
    ("научный", "elmi", "scientific"), ("энергетический", "enerji", "energy"),
    ("итоговый", "yekun", "final"), ("совместный", "birgə", "joint"),
    ("экономический", "iqtisadi", "economic"), ("культурный", "mədəni", "cultural"),
    ("местный", "yerli", "local"), ("частный", "özəl", "private"), ("городской", "şəhər", "urban"),
    ("сельский", "kənd", "rural"), ("морской", "dəniz", "maritime"),
    ("железнодорожный", "dəmir yolu", "railway"), ("медицинский", "tibbi", "medical"),
    ("спортивный", "idman", "sports"), ("финансовый", "maliyyə", "financial"),
    ("торговый", "ticarət", "trade"), ("промышленный", "sənaye", "industrial"),
    ("транспортный", "nəqliyyat", "transport"), ("экологический", "ekoloji", "environmental"),
    ("социальный", "sosial", "social"), ("молодой", "gənc", "young"),
    ("современный", "müasir", "modern"), ("главный", "əsas", "main"),
    ("важный", "mühüm", "important"), ("первый", "ilk", "first"),
    ("исторический", "tarixi", "historic"), ("зимний", "qış", "winter"),
    ("летний", "yay", "summer"), ("зеленый", "yaşıl", "green"), ("солнечный", "günəş", "solar"),
]  # fmt: skip
VERBS = [
    ("обсудить", "müzakirə etdi", "discussed"), ("подписать", "imzaladı", "signed"),
    ("представить", "təqdim etdi", "presented"), ("одобрить", "təsdiqlədi", "approved"),
    ("поддержать", "dəstəklədi", "supported"), ("изучить", "öyrəndi", "studied"),
    ("открыть", "açdı", "opened"), ("рассмотреть", "nəzərdən keçirdi", "reviewed"),
    ("принять", "qəbul etdi", "adopted"), ("запустить", "işə saldı", "launched"),
    ("построить", "tikdi", "built"), ("закрыть", "bağladı", "closed"),
    ("получить", "aldı", "received"), ("проверить", "yoxladı", "inspected"),
    ("объявить", "elan etdi", "announced"), ("увеличить", "artırdı", "increased"),
    ("сократить", "azaltdı", "reduced"), ("отметить", "qeyd etdi", "noted"),
    ("критиковать", "tənqid etdi", "criticised"), ("продать", "satdı", "sold"),
    ("купить", "aldı", "bought"), ("восстановить", "bərpa etdi", "restored"),
    ("предложить", "təklif etdi", "proposed"), ("завершить", "başa çatdırdı", "completed"),
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


def _capitalize_az(text):
    return ("İ" + text[1:]) if text.startswith("i") else text[:1].upper() + text[1:]


# How a sentence may open: (Russian, Azerbaijani, English).
OPENERS = [
    ("В понедельник", "Bazar ertəsi", "On Monday"), ("Во вторник", "Çərşənbə axşamı", "On Tuesday"),
    ("В среду", "Çərşənbə günü", "On Wednesday"), ("В четверг", "Cümə axşamı", "On Thursday"),
    ("В пятницу", "Cümə günü", "On Friday"), ("На этой неделе", "Bu həftə", "This week"),
    ("Ранее", "Daha əvvəl", "Earlier"), ("Как сообщается", "Bildirilir ki", "Reportedly"),
    ("Кроме того", "Bundan əlavə", "In addition"), ("При этом", "Bununla belə", "Meanwhile"),
]  # fmt: skip


class Topic:
    """The few words one article is about, drawn with Zipf-like weights."""

    def __init__(self, rng):
        self.nouns = rng.choices(NOUNS, weights=_weights(NOUNS), k=10)
        self.adjectives = rng.choices(ADJECTIVES, weights=_weights(ADJECTIVES), k=8)
        self.verbs = rng.choices(VERBS, weights=_weights(VERBS), k=6)


@lru_cache(maxsize=8)
def _weights_for(size):
    return [1 / (rank + 1) ** 0.8 for rank in range(size)]


def _weights(words):
    return _weights_for(len(words))


def _noun_phrase(rng, topic, case, number):
    """An adjective + noun agreeing in case, number, gender (and animacy in accusative)."""
    adj, noun = rng.choice(topic.adjectives), rng.choice(topic.nouns)
    gender, animacy, plural_only = _noun_tag(noun[0])
    number = "plur" if plural_only else number
    adj_form = (case, "plur") if number == "plur" else (case, gender, "sing")
    if case == "accs" and (number == "plur" or gender == "masc"):
        adj_form += (animacy,)  # «культурный рынок» but «культурного эксперта»
    ru = f"{_inflect(adj[0], adj_form)} {_inflect(noun[0], (case, number))}"
    return ru, f"{adj[1]} {noun[1]}", f"{adj[2]} {noun[2]}", gender, number


def _sentence(rng, topic):
    subj_ru, subj_az, subj_en, gender, number = _noun_phrase(
        rng, topic, "nomn", rng.choice(["sing", "plur"])
    )
    verb = rng.choice(topic.verbs)
    verb_ru = _inflect(verb[0], ("past", "plur") if number == "plur" else ("past", gender))
    obj_ru, obj_az, obj_en, *_ = _noun_phrase(rng, topic, "accs", rng.choice(["sing", "plur"]))
    prep, case = rng.choice(PREPOSITIONS)
    pp_ru, pp_az, pp_en, *_ = _noun_phrase(rng, topic, case, "sing")
    if prep == "о" and pp_ru[0] in "аеиоуэ":
        prep = "об"
    ru = f"{subj_ru} {verb_ru} {obj_ru} {prep} {pp_ru}"
    az = f"{subj_az} {pp_az} çərçivəsində {obj_az} {verb[1]}"
    en = f"the {subj_en} {verb[2]} the {obj_en} with the {pp_en}"
    shape = rng.random()
    if shape < 0.25:  # «В среду, …»
        opener = rng.choice(OPENERS)
        return f"{opener[0]} {ru}.", f"{opener[1]} {az}.", f"{opener[2]}, {en}."
    if shape < 0.4:  # «По словам молодого врача, …»
        who_ru, who_az, who_en, *_ = _noun_phrase(rng, topic, "gent", "sing")
        return (
            f"По словам {who_ru}, {ru}.",
            f"{_capitalize_az(who_az)} bildirib ki, {az}.",
            f"According to the {who_en}, {en}.",
        )
    return f"{ru[:1].upper()}{ru[1:]}.", f"{_capitalize_az(az)}.", f"{en[:1].upper()}{en[1:]}."


def _word_count(text):
    return text.count(" ") + 1


def generate(count, seed=1, start=datetime(2023, 1, 1, tzinfo=UTC), days=1000, words=300):
    """Yield `count` demo article dicts (title/lead/body per language, rubric, tags, date);
    each Russian body holds at least `words` words, in paragraphs of 2 to 5 sentences."""
    rng = random.Random(seed)
    for n in range(count):
        topic = Topic(rng)
        title, lead = _sentence(rng, topic), _sentence(rng, topic)
        paragraphs, size = [], 0
        while size < words or not paragraphs:
            paragraph = [_sentence(rng, topic) for _ in range(rng.randint(2, 5))]
            paragraphs.append(paragraph)
            size += sum(_word_count(s[0]) for s in paragraph)
        body = [
            "".join(f"<p>{' '.join(s[lang] for s in para)}</p>" for para in paragraphs)
            for lang in range(3)
        ]
        published = start + timedelta(days=rng.uniform(0, days))
        yield {
            "number": n,
            "title": [s.rstrip(".") for s in title],
            "lead": lead,
            "body": body,
            "published": published,
            "rubric": rng.choice(RUBRICS),
            "tags": rng.sample(TAGS, rng.randint(1, 4)),
        }
