// The same transliteration as archive/slugs.py, so the slug the admin pre-fills is
// the one the server would make (Django's own URLify writes «ц» as "c", «я» as "ja").
// tests/test_slugs.py checks that this table equals the Python one.
(function () {
  "use strict";
  const LETTERS = {"а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh", "з": "z", "и": "i", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu", "я": "ya", "ə": "e", "ı": "i", "ğ": "g", "ş": "sh", "ç": "ch", "ö": "o", "ü": "u"};
  const djangoURLify = window.URLify;
  window.URLify = function (text, maxLength, allowUnicode) {
    const mapped = Array.from(text.toLowerCase(), (ch) =>
      Object.hasOwn(LETTERS, ch) ? LETTERS[ch] : ch
    ).join("");
    // Like the server, keep whole words: cut after the last hyphen that fits.
    const slug = djangoURLify(mapped, 1000, allowUnicode);
    if (slug.length <= maxLength) return slug;
    const cut = slug.slice(0, maxLength + 1).lastIndexOf("-");
    return cut > 0 ? slug.slice(0, cut) : slug.slice(0, maxLength);
  };
})();
