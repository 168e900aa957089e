from django.contrib import admin

from .models import SynonymGroup


@admin.register(SynonymGroup)
class SynonymGroupAdmin(admin.ModelAdmin):
    list_display = ("__str__", "note")
    search_fields = ("terms", "note")
