"""GrammarAdminMixin: a model admin whose titles, messages, actions, counts and filter
headings use the model's word in the right case and gender (grammar.py).

Django writes each of these from verbose_name inside its views; the mixin replaces only
Django's own wording (a title another mixin set is left alone) and keeps its logic:
redirects, permissions and popups stay Django's. A model missing from grammar.NOUNS
keeps Django's sentences.
"""

from contextlib import contextmanager
from urllib.parse import quote as urlquote

from django.apps import apps
from django.contrib import messages
from django.contrib.admin import actions as django_actions
from django.contrib.admin.options import IS_POPUP_VAR
from django.contrib.admin.utils import quote
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import escape, format_html
from django.utils.safestring import SafeData, mark_safe
from django.utils.text import capfirst
from django.utils.translation import gettext

from ..capitals import capfirst_local
from . import grammar
from .history_wording import HistoryWording
from .protected import protecting_rows

# Django's own sentences, looked up in Django's catalog to recognise its titles; under
# this name makemessages leaves them out of the project's.
django_wording = gettext

# Set on the request for the next message_user call of the view that set it.
_PENDING_MESSAGE = "_grammar_message"
_EDITED = "_grammar_edited"  # pks saved by a list_editable submit, to count them


@contextmanager
def _next_message(request, message):
    """Word the message the view sends inside the block: a message, a callable making
    one when it is sent, or None (Django's stays)."""
    if message is not None:
        setattr(request, _PENDING_MESSAGE, message)
    try:
        yield
    finally:
        request.__dict__.pop(_PENDING_MESSAGE, None)


def delete_selected(modeladmin, request, queryset):
    """Django's "delete selected" action, with its confirmation page and message worded
    for the model: «Вы уверены, что хотите удалить 5 статей?», «5 статей удалено.»"""
    noun = grammar.noun_for(modeladmin.opts)
    count = len(queryset)
    deleted = grammar.counted_message(grammar.DELETED_COUNT, noun, count)
    with _next_message(request, deleted):
        response = django_actions.delete_selected(modeladmin, request, queryset)
    if isinstance(response, TemplateResponse):  # the confirmation page
        context = response.context_data
        cannot = context["perms_lacking"] or context["protected"]
        key = "cannot_delete_selected" if cannot else "delete_selected"
        context["title"] = grammar.title(key, noun, count)
        context["objects_name"] = noun.counted_object(count)
    return response


delete_selected.allowed_permissions = ("delete",)


def _through_model_names():
    """verbose_name and verbose_name_plural of the tables Django makes for many-to-many
    fields («Связь article-tag»): rows an editor never sees anywhere else."""
    names = set()
    for model in apps.get_models(include_auto_created=True):
        if model._meta.auto_created:
            names.add(str(capfirst(model._meta.verbose_name)))
            names.add(str(model._meta.verbose_name_plural))
    return names


def _without_through_rows(items, names):
    kept = []
    for item in items:
        if isinstance(item, list):
            item = _without_through_rows(item, names)
            if item:
                kept.append(item)
        elif str(item).split(": ", 1)[0] not in names:
            kept.append(item)
    return kept


def _with_local_capitals(items):
    """The deleted objects' lines («Istifadəçi: editor», Django's capfirst) with each
    model's name capitalised in the active language («İstifadəçi: editor»)."""
    local = {}
    for model in apps.get_models():
        name = model._meta.verbose_name
        if str(capfirst(name)) != str(capfirst_local(name)):
            local[f"{capfirst(name)}: "] = f"{capfirst_local(name)}: "
    if not local:
        return items

    def fixed(item):
        if isinstance(item, list):
            return [fixed(i) for i in item]
        html = isinstance(item, SafeData)  # a line with a link: its name is escaped
        for django_way, ours in local.items():
            if html:
                django_way, ours = escape(django_way), escape(ours)
            if str(item).startswith(django_way):
                text = ours + str(item)[len(django_way) :]
                return mark_safe(text) if html else text
        return item

    return [fixed(item) for item in items]


class GrammarAdminMixin:
    """Put it after the project's own mixins and before the libraries' admins
    (import-export, simple-history, modeltranslation, Django's ModelAdmin): it words
    what those send and render."""

    @property
    def grammar_noun(self):
        return grammar.noun_for(self.opts)

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        # Django labels a field capfirst(verbose_name): «Istifadəçi adı» in Azerbaijani.
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        name = getattr(db_field, "verbose_name", None)
        if field is not None and name and field.label == capfirst(name):
            field.label = capfirst_local(name)
        return field

    # -- titles, counts and headings on the change list --------------------------------

    def get_changelist_instance(self, request):
        changelist = super().get_changelist_instance(request)
        noun = self.grammar_noun
        if noun is not None:
            if changelist.is_popup:
                key = "select"
            elif self.has_change_permission(request):
                key = "select_to_change"
            else:
                key = "select_to_view"
            changelist.title = grammar.title(key, noun)
            # templates/admin/change_list_object_tools.html and pagination.html
            changelist.add_label = grammar.title("add", noun)
            changelist.result_count_label = noun.counted(changelist.result_count)
        for spec in changelist.filter_specs:
            path = getattr(spec, "field_path", None) or getattr(spec, "parameter_name", None)
            heading = grammar.FILTER_HEADINGS.get(path)
            if heading is not None:
                spec.title = heading
        return changelist

    def changelist_view(self, request, extra_context=None):
        noun = self.grammar_noun
        message = None
        if noun is not None and request.method == "POST" and "_save" in request.POST:
            # A list_editable submit: Django counts the rows it saved into one message;
            # log_change counts them here, and message_user words the message.
            edited = []
            setattr(request, _EDITED, edited)
            message = lambda: grammar.counted_message(  # noqa: E731
                grammar.CHANGED_COUNT, noun, len(edited)
            )
        try:
            with _next_message(request, message):
                return super().changelist_view(request, extra_context)
        finally:
            request.__dict__.pop(_EDITED, None)

    def log_change(self, request, obj, message):
        edited = getattr(request, _EDITED, None)
        if edited is not None:
            edited.append(obj.pk)
        return super().log_change(request, obj, message)

    def get_actions(self, request):
        actions = super().get_actions(request)
        noun = self.grammar_noun
        if noun is not None and "delete_selected" in actions:
            description = grammar.title("delete_selected", noun)
            actions["delete_selected"] = (delete_selected, "delete_selected", description)
        return actions

    # -- the add, change and delete pages ------------------------------------------

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        noun = self.grammar_noun
        name = self.opts.verbose_name
        django_titles = {
            django_wording("Add %s") % name,
            django_wording("Change %s") % name,
            django_wording("View %s") % name,
        }
        if noun is not None and context.get("title") in django_titles:
            if add:
                key = "add"
            elif self.has_change_permission(request, obj):
                key = "change"
            else:
                key = "view"
            context["title"] = grammar.title(key, noun)
            context["add_label"] = grammar.title("add", noun)  # the add page's breadcrumb
        return super().render_change_form(request, context, add, change, form_url, obj)

    def render_delete_form(self, request, context):
        noun = self.grammar_noun
        if noun is not None:
            name = context.get("object_name")
            django_titles = (
                django_wording("Delete"),
                django_wording("Cannot delete %(name)s") % {"name": name},
            )
            if context.get("title") in django_titles:
                cannot = context.get("perms_lacking") or context.get("protected")
                context["title"] = grammar.title("cannot_delete" if cannot else "delete", noun)
            # Django's sentences take it as «удалить %(object_name)s «…»»: the object form
            # (their Russian and Azerbaijani wording is the project's, see
            # third_party_wording.py).
            context["object_name"] = noun.object
        return super().render_delete_form(request, context)

    def get_deleted_objects(self, objs, request):
        if protected := protecting_rows(self.opts, list(objs), self.admin_site):
            return [], {}, set(), protected  # refused: nothing else is shown
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        names = _through_model_names()
        deleted = _with_local_capitals(_without_through_rows(deleted, names))
        counts = {name: n for name, n in counts.items() if str(name) not in names}
        return deleted, counts, perms_needed, protected

    # -- messages after saving and deleting ----------------------------------------

    def message_user(self, request, message, level=messages.INFO, *args, **kwargs):
        # Django says "saved" and "deleted" at SUCCESS; a note another mixin sends on
        # the way (the preview link, at INFO) is left as it is.
        if level == messages.SUCCESS and _PENDING_MESSAGE in request.__dict__:
            pending = request.__dict__.pop(_PENDING_MESSAGE)
            worded = pending() if callable(pending) else pending
            if worded is not None:
                message = worded
        return super().message_user(request, message, level, *args, **kwargs)

    def response_add(self, request, obj, post_url_continue=None):
        # Worded when Django sends it: UserAdmin adds "_continue" to the POST on the way.
        with _next_message(request, lambda: self._added_message(request, obj)):
            return super().response_add(request, obj, post_url_continue)

    def response_change(self, request, obj):
        with _next_message(request, self._changed_message(request, obj)):
            return super().response_change(request, obj)

    def response_delete(self, request, obj_display, obj_id):
        noun = self.grammar_noun
        message = None
        if noun is not None and IS_POPUP_VAR not in request.POST:
            message = grammar.deleted_message(noun, self.opts, obj_display)
        with _next_message(request, message):
            return super().response_delete(request, obj_display, obj_id)

    def _added_message(self, request, obj):
        noun = self.grammar_noun
        if noun is None or IS_POPUP_VAR in request.POST:
            return None
        # The same link and the same choice of sentence as Django's response_add.
        can_change = self.has_change_permission(request, obj)
        if can_change:
            url = reverse(
                f"admin:{self.opts.app_label}_{self.opts.model_name}_change",
                args=(quote(obj.pk),),
                current_app=self.admin_site.name,
            )
            obj_html = format_html('<a href="{}">{}</a>', urlquote(url), obj)
        else:
            obj_html = str(obj)
        if "_continue" in request.POST or (
            "_saveasnew" in request.POST and self.save_as_continue and can_change
        ):
            then = "edit" if can_change else None
        elif "_addanother" in request.POST:
            then = "add"
        else:
            then = None
        return grammar.saved_message(noun, self.opts, obj_html, added=True, then=then)

    def _changed_message(self, request, obj):
        noun = self.grammar_noun
        if noun is None or IS_POPUP_VAR in request.POST:
            return None
        obj_html = format_html('<a href="{}">{}</a>', urlquote(request.path), obj)
        if "_continue" in request.POST:
            then = "edit"
        elif "_addanother" in request.POST:
            then = "add"
        else:
            then = None
        return grammar.saved_message(noun, self.opts, obj_html, added=False, then=then)

    # -- the revision history (django-simple-history) ------------------------------

    def get_historical_record_context_helper(self, request, historical_record):
        return HistoryWording(self.model, historical_record)
