"""Readable Latin slugs for Russian and Azerbaijani titles and names.

Unidecode spells «я» as "ia" and «ə» as "@"-like noise, so the letters a reader
would spell differently are mapped first (a common passport-style scheme), and
python-slugify does the rest.
"""

from slugify import slugify

SLUG_MAX_LENGTH = 80

_LETTERS = {
    # Russian
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e",
    "ж": "zh", "з": "z", "и": "i", "й": "y", "к": "k", "л": "l", "м": "m",
    "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u",
    "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch",
    "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu", "я": "ya",
    # Azerbaijani Latin letters outside ASCII
    "ə": "e", "ı": "i", "ğ": "g", "ş": "sh", "ç": "ch", "ö": "o", "ü": "u",
}  # fmt: skip
_REPLACEMENTS = [(k, v) for k, v in _LETTERS.items()] + [
    (k.upper(), v) for k, v in _LETTERS.items() if k.upper() != k
]


def transliterate_slug(text: str, max_length: int = SLUG_MAX_LENGTH) -> str:
    """'Конвенция ООН' -> 'konventsiya-oon'; 'Gəncə' -> 'gence'.

    Long slugs are cut after the last whole word that fits (python-slugify's own
    word_boundary skips a long word but keeps a later short one).
    """
    slug = slugify(text or "", replacements=_REPLACEMENTS, replacement_stage="pre")
    if len(slug) <= max_length:
        return slug
    cut = slug[: max_length + 1].rsplit("-", 1)[0]
    return cut if cut and len(cut) <= max_length else slug[:max_length].rstrip("-")


def unique_slug(text: str, taken, fallback: str = "item") -> str:
    """The transliterated slug of `text`, suffixed -2, -3... until `taken(slug)` is false.

    `taken` is a callable, so a bulk import can check an in-memory set and a model
    save can check the database.
    """
    base = transliterate_slug(text) or fallback
    slug, n = base, 1
    while taken(slug):
        n += 1
        suffix = f"-{n}"
        slug = base[: SLUG_MAX_LENGTH - len(suffix)].rstrip("-") + suffix
    return slug
