"""The words the admin puts around a model's name, in the case and gender each language
needs: «Выберите статью для изменения», «Статья «…» добавлена.», «Məqaləni seçin».

Django builds these sentences from `verbose_name` alone, which in Russian gives «Добавить
статья». Here each model has its forms, translated in locale/*/django.po under the
contexts below (English needs none: every form is the English word), and each sentence
names the form it takes. Mixed into the model admins by grammar_admin.GrammarAdminMixin.
"""

from dataclasses import dataclass

from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import (
    ngettext_lazy,
    npgettext,
    npgettext_lazy,
    pgettext_lazy,
)

from ..capitals import capfirst_local

GENDERS = ("masculine", "feminine", "neuter")


@dataclass(frozen=True)
class Noun:
    """One model's word in the roles the admin's sentences give it. The nominative
    (subject) is the model's own verbose_name."""

    new: str  # "Add ___": ru «статью», az «məqalə» (an indefinite object)
    object: str  # "Select / change / delete the ___": ru «статью», az «məqaləni»
    selected: str  # "Delete ___": ru «выбранные статьи», «выбранных пользователей»
    another: str  # "You may add ___ below": ru «ещё одну статью», az «daha bir məqalə»
    count: str  # "%(count)s article(s)": ru «5 статей», az «5 məqalə»
    count_object: str  # "delete %(count)s ___": ru «1 статью», az «5 məqaləni»
    # "masculine", "feminine" or "neuter", translated per language: the Russian past
    # participles and pronouns agree with it («тег добавлен», «статья добавлена»).
    gender: str

    def counted(self, n):
        return self.count % {"count": n}

    def counted_object(self, n):
        return self.count_object % {"count": n}

    @property
    def grammatical_gender(self):
        gender = str(self.gender)
        return gender if gender in GENDERS else "neuter"


# The same contexts for every model, so a translator sees one pattern per role.
NOUNS = {
    "archive.article": Noun(
        new=pgettext_lazy("Add ___", "article"),
        object=pgettext_lazy("Select / change / delete the ___", "article"),
        selected=pgettext_lazy("Delete ___", "selected articles"),
        another=pgettext_lazy("You may add ___ below", "another article"),
        count=ngettext_lazy("%(count)s article", "%(count)s articles", "count"),
        count_object=npgettext_lazy(
            "Delete ___", "%(count)s article", "%(count)s articles", "count"
        ),
        gender=pgettext_lazy("grammatical gender of: article", "neuter"),
    ),
    "archive.rubric": Noun(
        new=pgettext_lazy("Add ___", "rubric"),
        object=pgettext_lazy("Select / change / delete the ___", "rubric"),
        selected=pgettext_lazy("Delete ___", "selected rubrics"),
        another=pgettext_lazy("You may add ___ below", "another rubric"),
        count=ngettext_lazy("%(count)s rubric", "%(count)s rubrics", "count"),
        count_object=npgettext_lazy("Delete ___", "%(count)s rubric", "%(count)s rubrics", "count"),
        gender=pgettext_lazy("grammatical gender of: rubric", "neuter"),
    ),
    "archive.tag": Noun(
        new=pgettext_lazy("Add ___", "tag"),
        object=pgettext_lazy("Select / change / delete the ___", "tag"),
        selected=pgettext_lazy("Delete ___", "selected tags"),
        another=pgettext_lazy("You may add ___ below", "another tag"),
        count=ngettext_lazy("%(count)s tag", "%(count)s tags", "count"),
        count_object=npgettext_lazy("Delete ___", "%(count)s tag", "%(count)s tags", "count"),
        gender=pgettext_lazy("grammatical gender of: tag", "neuter"),
    ),
    "archive.source": Noun(
        new=pgettext_lazy("Add ___", "source"),
        object=pgettext_lazy("Select / change / delete the ___", "source"),
        selected=pgettext_lazy("Delete ___", "selected sources"),
        another=pgettext_lazy("You may add ___ below", "another source"),
        count=ngettext_lazy("%(count)s source", "%(count)s sources", "count"),
        count_object=npgettext_lazy("Delete ___", "%(count)s source", "%(count)s sources", "count"),
        gender=pgettext_lazy("grammatical gender of: source", "neuter"),
    ),
    "archive.image": Noun(
        new=pgettext_lazy("Add ___", "image"),
        object=pgettext_lazy("Select / change / delete the ___", "image"),
        selected=pgettext_lazy("Delete ___", "selected images"),
        another=pgettext_lazy("You may add ___ below", "another image"),
        count=ngettext_lazy("%(count)s image", "%(count)s images", "count"),
        count_object=npgettext_lazy("Delete ___", "%(count)s image", "%(count)s images", "count"),
        gender=pgettext_lazy("grammatical gender of: image", "neuter"),
    ),
    "archive.story": Noun(
        new=pgettext_lazy("Add ___", "story"),
        object=pgettext_lazy("Select / change / delete the ___", "story"),
        selected=pgettext_lazy("Delete ___", "selected stories"),
        another=pgettext_lazy("You may add ___ below", "another story"),
        count=ngettext_lazy("%(count)s story", "%(count)s stories", "count"),
        count_object=npgettext_lazy("Delete ___", "%(count)s story", "%(count)s stories", "count"),
        gender=pgettext_lazy("grammatical gender of: story", "neuter"),
    ),
    "search.synonymgroup": Noun(
        new=pgettext_lazy("Add ___", "synonym group"),
        object=pgettext_lazy("Select / change / delete the ___", "synonym group"),
        selected=pgettext_lazy("Delete ___", "selected synonym groups"),
        another=pgettext_lazy("You may add ___ below", "another synonym group"),
        count=ngettext_lazy("%(count)s synonym group", "%(count)s synonym groups", "count"),
        count_object=npgettext_lazy(
            "Delete ___", "%(count)s synonym group", "%(count)s synonym groups", "count"
        ),
        gender=pgettext_lazy("grammatical gender of: synonym group", "neuter"),
    ),
    "search.pendingupdate": Noun(
        new=pgettext_lazy("Add ___", "pending index update"),
        object=pgettext_lazy("Select / change / delete the ___", "pending index update"),
        selected=pgettext_lazy("Delete ___", "selected pending index updates"),
        another=pgettext_lazy("You may add ___ below", "another pending index update"),
        count=ngettext_lazy(
            "%(count)s pending index update", "%(count)s pending index updates", "count"
        ),
        count_object=npgettext_lazy(
            "Delete ___",
            "%(count)s pending index update",
            "%(count)s pending index updates",
            "count",
        ),
        gender=pgettext_lazy("grammatical gender of: pending index update", "neuter"),
    ),
    "search.indexevent": Noun(
        new=pgettext_lazy("Add ___", "index event"),
        object=pgettext_lazy("Select / change / delete the ___", "index event"),
        selected=pgettext_lazy("Delete ___", "selected index events"),
        another=pgettext_lazy("You may add ___ below", "another index event"),
        count=ngettext_lazy("%(count)s index event", "%(count)s index events", "count"),
        count_object=npgettext_lazy(
            "Delete ___", "%(count)s index event", "%(count)s index events", "count"
        ),
        gender=pgettext_lazy("grammatical gender of: index event", "neuter"),
    ),
    "auth.user": Noun(
        new=pgettext_lazy("Add ___", "user"),
        object=pgettext_lazy("Select / change / delete the ___", "user"),
        selected=pgettext_lazy("Delete ___", "selected users"),
        another=pgettext_lazy("You may add ___ below", "another user"),
        count=ngettext_lazy("%(count)s user", "%(count)s users", "count"),
        count_object=npgettext_lazy("Delete ___", "%(count)s user", "%(count)s users", "count"),
        gender=pgettext_lazy("grammatical gender of: user", "neuter"),
    ),
    "auth.group": Noun(
        new=pgettext_lazy("Add ___", "group"),
        object=pgettext_lazy("Select / change / delete the ___", "group"),
        selected=pgettext_lazy("Delete ___", "selected groups"),
        another=pgettext_lazy("You may add ___ below", "another group"),
        count=ngettext_lazy("%(count)s group", "%(count)s groups", "count"),
        count_object=npgettext_lazy("Delete ___", "%(count)s group", "%(count)s groups", "count"),
        gender=pgettext_lazy("grammatical gender of: group", "neuter"),
    ),
}


def noun_for(opts):
    """The Noun of a model (its _meta), or None for a model this table does not know."""
    return NOUNS.get(opts.label_lower)


# Titles: {object}, {new}, {selected} and {count_object} are the forms above.
TITLES = {
    "select": pgettext_lazy("admin title", "Select {object}"),
    "select_to_change": pgettext_lazy("admin title", "Select {object} to change"),
    "select_to_view": pgettext_lazy("admin title", "Select {object} to view"),
    "add": pgettext_lazy("admin title", "Add {new}"),
    "change": pgettext_lazy("admin title", "Change {object}"),
    "view": pgettext_lazy("admin title", "View {object}"),
    "delete": pgettext_lazy("admin title", "Delete {object}"),
    "cannot_delete": pgettext_lazy("admin title", "Cannot delete {object}"),
    "delete_selected": pgettext_lazy("admin title", "Delete {selected}"),
    "cannot_delete_selected": pgettext_lazy("admin title", "Cannot delete {count_object}"),
}


def title(key, noun, count=0):
    text = str(TITLES[key]).format(
        object=noun.object,
        new=noun.new,
        selected=noun.selected,
        count_object=noun.counted_object(count),
    )
    return capfirst_local(text)


# Messages whose words agree with the noun's gender (Russian: «добавлен», «добавлена»,
# «добавлено»; «его», «её»). The context is the gender; languages without one, like
# Azerbaijani, translate the three alike.
def _by_gender(masculine, feminine, neuter):
    return {"masculine": masculine, "feminine": feminine, "neuter": neuter}


ADDED = _by_gender(
    pgettext_lazy("masculine", "The {name} “{obj}” was added successfully."),
    pgettext_lazy("feminine", "The {name} “{obj}” was added successfully."),
    pgettext_lazy("neuter", "The {name} “{obj}” was added successfully."),
)
CHANGED = _by_gender(
    pgettext_lazy("masculine", "The {name} “{obj}” was changed successfully."),
    pgettext_lazy("feminine", "The {name} “{obj}” was changed successfully."),
    pgettext_lazy("neuter", "The {name} “{obj}” was changed successfully."),
)
DELETED = _by_gender(
    pgettext_lazy("masculine", "The {name} “{obj}” was deleted successfully."),
    pgettext_lazy("feminine", "The {name} “{obj}” was deleted successfully."),
    pgettext_lazy("neuter", "The {name} “{obj}” was deleted successfully."),
)
ADD_ANOTHER = pgettext_lazy("admin message", "You may add {another} below.")
EDIT_AGAIN = _by_gender(
    pgettext_lazy("masculine", "You may edit it again below."),
    pgettext_lazy("feminine", "You may edit it again below."),
    pgettext_lazy("neuter", "You may edit it again below."),
)
# Counted: {items} is Noun.count («5 статей»); the verb agrees with the number too.
DELETED_COUNT = _by_gender(
    lambda n: npgettext("masculine", "{items} was deleted.", "{items} were deleted.", n),
    lambda n: npgettext("feminine", "{items} was deleted.", "{items} were deleted.", n),
    lambda n: npgettext("neuter", "{items} was deleted.", "{items} were deleted.", n),
)
CHANGED_COUNT = _by_gender(
    lambda n: npgettext("masculine", "{items} was changed.", "{items} were changed.", n),
    lambda n: npgettext("feminine", "{items} was changed.", "{items} were changed.", n),
    lambda n: npgettext("neuter", "{items} was changed.", "{items} were changed.", n),
)


def _sentence(template, **values):
    # capfirst on the formatted HTML: the sentence may open with the name («Статья …»);
    # it only changes the case of a first letter, so the markup stays safe.
    return mark_safe(capfirst_local(format_html(str(template), **values)))


def saved_message(noun, opts, obj_html, *, added, then=None):
    """«Статья «…» добавлена.», optionally followed by «Ниже её можно изменить снова.»
    (then="edit") or «Ниже можно добавить ещё одну статью.» (then="add")."""
    gender = noun.grammatical_gender
    parts = [(ADDED if added else CHANGED)[gender]]
    if then == "edit":
        parts.append(EDIT_AGAIN[gender])
    elif then == "add":
        parts.append(ADD_ANOTHER)
    template = " ".join(str(part) for part in parts)
    return _sentence(template, name=opts.verbose_name, obj=obj_html, another=noun.another)


def deleted_message(noun, opts, obj_display):
    template = DELETED[noun.grammatical_gender]
    return _sentence(template, name=opts.verbose_name, obj=obj_display)


def counted_message(messages, noun, n):
    """DELETED_COUNT or CHANGED_COUNT for n objects: «Удалено 5 статей.»"""
    template = messages[noun.grammatical_gender](n)
    return _sentence(template, items=noun.counted(n))


# List filter headings by the filtered field's path. Django shows "By <heading>" in
# English and the heading alone in Russian and Azerbaijani (third_party_wording.py).
FILTER_HEADINGS = {
    "status": pgettext_lazy("list filter heading", "status"),
    "rubric": pgettext_lazy("list filter heading", "rubric"),
    "tags__kind": pgettext_lazy("list filter heading", "tag kind"),
    "tags": pgettext_lazy("list filter heading", "tag"),
    "published_at": pgettext_lazy("list filter heading", "publication date"),
    "source": pgettext_lazy("list filter heading", "source"),
    "has_video": pgettext_lazy("list filter heading", "video"),
    "translation": pgettext_lazy("list filter heading", "translation"),
    "kind": pgettext_lazy("list filter heading", "kind"),
    "use": pgettext_lazy("list filter heading", "use"),
    "uploaded_at": pgettext_lazy("list filter heading", "upload date"),
    "uploaded_by": pgettext_lazy("list filter heading", "uploaded by"),
    "is_staff": pgettext_lazy("list filter heading", "staff status"),
    "is_superuser": pgettext_lazy("list filter heading", "superuser status"),
    "is_active": pgettext_lazy("list filter heading", "active"),
    "groups": pgettext_lazy("list filter heading", "groups"),
}
