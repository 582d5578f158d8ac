from django.contrib import admin

from serai.core.admin_base import AuditedAdmin

from .models import Body, CooperationField, DacSector, MemberState


@admin.register(MemberState)
class MemberStateAdmin(AuditedAdmin):
    list_display = ("iso2", "iso3", "iso_numeric", "__str__", "is_anchor", "origin")


@admin.register(Body)
class BodyAdmin(AuditedAdmin):
    list_display = ("code", "__str__", "kind", "parent", "origin")
    list_select_related = ("parent",)


@admin.register(CooperationField)
class CooperationFieldAdmin(AuditedAdmin):
    list_display = ("code", "__str__", "subcommittee", "origin")
    list_select_related = ("subcommittee",)
    filter_horizontal = ("dac_sectors",)


@admin.register(DacSector)
class DacSectorAdmin(AuditedAdmin):
    list_display = ("code", "name", "category", "withdrawn")
    search_fields = ("code", "name")
