"""manage.py search_quality [--corpus DIR]: known-item search quality, as figures.

Each query below was written by reading one post of the shared Russian news corpus
and asking what a reader would type to find it again: other word forms, other
words, sometimes a typo or the wrong keyboard layout. The command finds each
target article, runs the query through the same code as the search page, and
prints hit@10 (the target is among the first ten results) and the mean reciprocal
rank. With --corpus, the corpus is imported first when it is not in the archive.
"""

from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from archive.models import Article
from search import service

CORPUS_SOURCE = "NKTKLN/telegram-news-classifier"
# The workplace keeps the corpus beside the repository, never inside it.
DEFAULT_CORPUS = settings.BASE_DIR.parent / "shared" / "corpus"

# (what a reader types, the start of the target article's title)
KNOWN_ITEMS = [
    ("отставка председателя Грузинской мечты", "В правящей партии Грузии опровергли слухи"),
    ("дополнительные сапсаны на новогодние праздники", "Между Москвой и Петербургом на новогод"),
    ("мужчина избил контролёра парковки", "В Москве мужчина избил контролера"),
    ("капитан затонувшего судна в Баренцевом море", "Задержан капитан судна с туристами"),
    ("прекращение поддержки Windows 10", "Microsoft, которая ранее объявила о планах"),
    ("башкирский изобретатель телепорта", "В Башкирии мужик изобрёл"),
    ("роботакси Tesla без водителя", "Tesla представила Cybercab"),
    ("воробьиный сыч в Петербурге", "В Петербурге заметили самую маленькую сову"),
    ("пилот Boeing DHL в Вильнюсе не сбросил скорость", "Пилот рухнувшего в Вильнюсе"),
    ("интернет полезен для психического здоровья пожилых", "Метаанализ выявил пользу интернета"),
    ("ливанцы возвращаются домой после перемирия", "«Мы хотели вдохнуть запах земли»"),
    ("сколько зарабатывают сварщики в Москве", "Московские сварщики зарабатывают"),
    ("шторки для ванной и иммунитет", "Шторка для ванной убивает иммунитет"),
    ("когда откроется каток в парке Горького", "Каток в Парке Горького откроется"),
    ("гибель горняков на камчатском руднике", "3 горняка погибли при обрушении"),
    ("сломала нос листая соцсети", "Девушка из Подмосковья сломала нос"),
    ("работодатель ищет плотника", "В Москве работодатель не может найти плотника"),
    ("подорожание просекко из-за пошлин", "Просекко подорожает в России"),
    ("БРИКС против блоковой конфронтации", "Страны БРИКС не намерены бороться"),
    ("китайских школьников научат искусственному интеллекту", "Китайские школы будут обучать"),
    ("Маск о банкротстве Америки", "Америка сейчас очень быстро движется к банкротству"),
    ("цены на аренду квартир в Москве и обстрелы", "Взлёт цен на аренду квартир в Москве"),
    ("вальдшнепы улетают на юг через Москву", "Вальдшнепы начали улетать"),
    ("поддержка Python в Excel", "Microsoft внедряет поддержку Python в Excel"),
    ("новое название гипермаркетов Ашан", "Ашан уходит из России"),
    ("пожар в бане в Очаково", "В Очаковских банях"),
    ("таможня Шереметьево бутылки у пассажирок из Китая", "Таможенники в Шереметьево обнаружили"),
    ("Япония разрешила вывоз гибридных машин в Россию", "Япония разрешила экспорт"),
    ("Бурнашкина младенец в аэропорту Антальи", "18-летняя Екатерина Бурнашкина"),
    ("ответ на закрытие консульства в Познани", "Польская сторона обязательно получит ответ"),
    ("оплата картой Мир через айфон", "Оператор карт «Мир» разработал технологию"),
    # The wrong keyboard layout («fify» is «ашан») and a typo («вальшнепы»).
    ("fify уходит из России", "Ашан уходит из России"),
    ("вальшнепы улетают", "Вальдшнепы начали улетать"),
]


class Command(BaseCommand):
    help = "Print hit@10 and mean reciprocal rank for known-item queries on the corpus."

    def add_arguments(self, parser):
        parser.add_argument(
            "--corpus",
            type=Path,
            default=None,
            help=f"Import the corpus from DIR first if absent ({DEFAULT_CORPUS}).",
        )

    def handle(self, corpus, verbosity, **options):
        if not Article.objects.filter(source__name=CORPUS_SOURCE).exists():
            corpus = corpus or DEFAULT_CORPUS
            files = sorted(Path(corpus).glob("*.jsonl.gz"))
            if not files:
                raise CommandError(f"The corpus is not in the archive and not at {corpus}.")
            call_command("import_articles", *map(str, files), no_progress=True, verbosity=0)
        ranks, missing = [], []
        for query, title_start in KNOWN_ITEMS:
            targets = set(
                Article.objects.published()
                .filter(title_ru__startswith=title_start)
                .values_list("pk", flat=True)
            )
            if not targets:
                missing.append(title_start)
                continue
            page = service.perform({"q": query}, "ru")
            ids = [r["id"] for r in page.results]
            rank = next((i for i, pk in enumerate(ids, 1) if pk in targets), None)
            ranks.append(rank)
            if verbosity >= 2 or rank is None or rank > 10:
                shown = f"rank {rank}" if rank else "not in the first 20"
                self.stdout.write(f"{shown:>20}  {query}  (searched: {page.query})")
        if missing:
            self.stderr.write(f"targets not found in the archive: {missing}")
        n = len(ranks)
        if not n:
            raise CommandError("No known item could be checked.")
        hits = sum(1 for r in ranks if r and r <= 10)
        mrr = sum(1 / r for r in ranks if r) / n
        self.stdout.write(f"queries: {n}  hit@10: {hits}/{n} = {hits / n:.2f}  MRR: {mrr:.3f}")
