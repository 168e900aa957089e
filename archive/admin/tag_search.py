"""Tag search in the admin (the tag list, the tag autocomplete of the article form and
of the list filter) that finds «керим» in «Керимова»."""

from django.db.models import Q

from ..languages import folded


class FoldedTagSearch:
    """SQLite's LIKE folds the case of ASCII letters only, so search_fields alone miss a
    Cyrillic name typed in lower case. Tag.search_key holds every language's name
    folded, each word after a space (what the site's suggestions read): match each
    typed word at the start of a word there too."""

    def get_search_results(self, request, queryset, search_term):
        results, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        words = folded(search_term).split()
        if words:
            keys = queryset.filter(*(Q(search_key__contains=f" {word}") for word in words))
            results = results | keys
        return results, may_have_duplicates
