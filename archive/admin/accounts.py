"""Users and groups: Django's own admins, worded like the archive's (GrammarAdminMixin).

Permissions are rows whose names Django wrote in English when it migrated ("Can add
article"); the lists name them in the editor's language instead, from the codename's
action and the model's own (translated) name. Only models with admin pages are offered:
the history tables' own permissions (simple-history checks the article's) and the admin
log's would be rows no editor can use."""

from django.apps import apps
from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.utils.translation import pgettext_lazy

from ..capitals import capfirst_local
from .filters import OutOfRangeLookupsMixin
from .grammar_admin import GrammarAdminMixin

User = get_user_model()
admin.site.unregister(User)
admin.site.unregister(Group)

ACTIONS = {
    "add": pgettext_lazy("permission", "can add"),
    "change": pgettext_lazy("permission", "can change"),
    "delete": pgettext_lazy("permission", "can delete"),
    "view": pgettext_lazy("permission", "can view"),
}


def permission_label(permission):
    """«Архив новостей | статья | добавление» for Django's four (codename "add_article"
    and so on); a permission a model declares itself («view_dashboard») by its own name."""
    action, _sep, model_name = permission.codename.partition("_")
    if action in ACTIONS and model_name == permission.content_type.model:
        return f"{permission.content_type} | {ACTIONS[action]}"
    return f"{permission.content_type} | {permission.name}"


def usable_permissions():
    """Permissions on the models the admin has pages for."""
    models = [model for model in apps.get_models() if admin.site.is_registered(model)]
    types = ContentType.objects.get_for_models(*models).values()
    return Permission.objects.filter(content_type__in=[t.pk for t in types])


class WordedPermissionsMixin:
    def formfield_for_manytomany(self, db_field, request=None, **kwargs):
        if db_field.name in ("permissions", "user_permissions"):
            kwargs.setdefault("queryset", usable_permissions())
        field = super().formfield_for_manytomany(db_field, request=request, **kwargs)
        if db_field.name in ("permissions", "user_permissions"):
            field.label_from_instance = permission_label
        return field


class LoginForm(AdminAuthenticationForm):
    """Django's, its username labelled with Azerbaijani's dotted capital (capitals.py)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = capfirst_local(self.username_field.verbose_name)


admin.site.login_form = LoginForm


@admin.register(User)
class WordedUserAdmin(OutOfRangeLookupsMixin, GrammarAdminMixin, WordedPermissionsMixin, UserAdmin):
    pass


@admin.register(Group)
class WordedGroupAdmin(
    OutOfRangeLookupsMixin, GrammarAdminMixin, WordedPermissionsMixin, GroupAdmin
):
    pass
