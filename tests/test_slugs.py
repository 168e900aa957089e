import pytest

from archive.slugs import SLUG_MAX_LENGTH, transliterate_slug, unique_slug


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("Гасан Мансуров", "gasan-mansurov"),
        ("Нью-Йорк", "nyu-york"),
        ("Щёлково, Юрьев день и съезд", "shchelkovo-yurev-den-i-sezd"),
        ("Служба государственной безопасности", "sluzhba-gosudarstvennoy-bezopasnosti"),
        ("ИКТ", "ikt"),
        # Azerbaijani: ə -> e and the other letters a reader types without the layout
        ("Həsən Mənsurov", "hesen-mensurov"),
        (
            "Qəmbərli, Şuşa, Gəncə, Ağdam, Göyçay, Üzeyir, İsmayıllı",
            "qemberli-shusha-gence-agdam-goychay-uzeyir-ismayilli",
        ),
        ("Convention against Cybercrime", "convention-against-cybercrime"),
    ],
)
def test_readable_latin_transliteration(text, slug):
    assert transliterate_slug(text) == slug


def test_long_titles_keep_a_prefix_of_whole_words():
    title = "Генассамблея ООН учредила комитет для разработки конвенции против использования ИКТ в"
    slug = transliterate_slug(title)
    assert slug == "genassambleya-oon-uchredila-komitet-dlya-razrabotki-konventsii-protiv"
    assert len(transliterate_slug("а" * 200)) == SLUG_MAX_LENGTH


def test_long_titles_are_cut_at_a_word_boundary():
    slug = transliterate_slug("Подготовлен и принят итоговый проект " * 10)
    assert len(slug) <= SLUG_MAX_LENGTH
    assert not slug.endswith("-")
    assert all(
        part in {"podgotovlen", "i", "prinyat", "itogovyy", "proekt"} for part in slug.split("-")
    )


def test_unique_slug_adds_a_counter_and_respects_the_length():
    taken = {"oon", "oon-2"}
    assert unique_slug("ООН", taken.__contains__) == "oon-3"
    long_base = transliterate_slug("конвенция " * 20)
    taken = {long_base}
    slug = unique_slug("конвенция " * 20, taken.__contains__)
    assert slug.endswith("-2") and len(slug) <= SLUG_MAX_LENGTH


def test_text_without_letters_gets_a_fallback_slug():
    assert unique_slug("!!! ???", set().__contains__, fallback="article") == "article"


def test_admin_prefill_script_uses_the_same_letters():
    """The admin pre-fills slugs in JavaScript; its table must match the server's."""
    import json
    import re
    from pathlib import Path

    from archive.slugs import _LETTERS

    script = Path(__file__).parent.parent / "archive/static/archive/admin/slugify.js"
    table = re.search(r"const LETTERS = (\{.*?\});", script.read_text(), re.S).group(1)
    assert json.loads(table) == _LETTERS
