from django.contrib import admin, messages
from django.http import HttpResponseRedirect
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from archive.admin.grammar_admin import GrammarAdminMixin

from . import health, indexing
from .messages import in_language
from .models import IndexEvent, PendingUpdate, SynonymGroup
from .reconcile import reconcile


@admin.register(SynonymGroup)
class SynonymGroupAdmin(GrammarAdminMixin, admin.ModelAdmin):
    list_display = ("__str__", "note")
    search_fields = ("terms", "note")


class ReadOnlyAdmin(GrammarAdminMixin, admin.ModelAdmin):
    """Rows the index code writes; editors look, they do not edit."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(PendingUpdate)
class PendingUpdateAdmin(ReadOnlyAdmin):
    list_display = ("article_id", "queued_at", "attempts", "next_try_at", "last_error")
    search_fields = ("article_id",)


@admin.register(IndexEvent)
class IndexEventAdmin(ReadOnlyAdmin):
    """The index status page: its changelist opens with the index's figures (size,
    pending updates, last error) and buttons to write the queue or reconcile now."""

    list_display = ("at", "kind", "text")
    list_filter = ("kind",)
    fields = readonly_fields = ("at", "kind", "text")
    change_list_template = "admin/search/indexevent/change_list.html"

    @admin.display(description=gettext_lazy("message"))
    def text(self, event):
        return event.text()  # in the editor's language

    def has_delete_permission(self, request, obj=None):
        return False

    def get_urls(self):
        own = [
            path(
                "drain/",
                self.admin_site.admin_view(require_POST(self.drain_view)),
                name="search_indexevent_drain",
            ),
            path(
                "reconcile/",
                self.admin_site.admin_view(require_POST(self.reconcile_view)),
                name="search_indexevent_reconcile",
            ),
        ]
        return own + super().get_urls()

    def changelist_view(self, request, extra_context=None):
        state = health.inspect()
        last_error = IndexEvent.objects.filter(kind=IndexEvent.Kind.ERROR).first()
        context = {
            "health": state,
            "health_error": in_language(state.error),
            "last_error": last_error,
            "published": indexing.index_and_backend()[0].index_queryset().count(),
            "title": _("Search index status"),
            **(extra_context or {}),
        }
        return super().changelist_view(request, extra_context=context)

    def _back(self):
        return HttpResponseRedirect(reverse("admin:search_indexevent_changelist"))

    def drain_view(self, request):
        if not self.has_view_permission(request):
            return self._back()
        written, failures = indexing.drain(everything=True)
        level = messages.WARNING if failures else messages.SUCCESS
        self.message_user(
            request,
            _("%(written)d queued updates written; %(failed)d batches failed.")
            % {"written": written, "failed": failures},
            level,
        )
        return self._back()

    def reconcile_view(self, request):
        if not self.has_view_permission(request):
            return self._back()
        try:
            report = reconcile(fix=True)
        except Exception as exc:  # a locked or broken index: say so, keep the page
            self.message_user(request, _("Reconciliation failed: %s") % exc, messages.ERROR)
        else:
            self.message_user(
                request,
                _(
                    "Reconciled: %(published)d published articles, %(indexed)d documents in "
                    "the index; fixed %(missing)d missing, %(stale)d outdated and %(extra)d no "
                    "longer published."
                )
                % {
                    "published": report.published,
                    "indexed": report.indexed_after,
                    "missing": len(report.missing),
                    "stale": len(report.stale),
                    "extra": len(report.extra),
                },
                messages.SUCCESS,
            )
        return self._back()
