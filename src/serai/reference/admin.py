from django.contrib import admin

from serai.access.admin_base import AuditedAdmin

from . import operations
from .models import Body, CooperationField, DacSector, MemberState


@admin.register(MemberState)
class MemberStateAdmin(AuditedAdmin):
    list_display = ("iso2", "iso3", "iso_numeric", "__str__", "is_anchor", "origin")

    def update(actor, obj, values, m2m):
        return operations.update_member_state(actor, obj, values)


@admin.register(Body)
class BodyAdmin(AuditedAdmin):
    list_display = ("code", "__str__", "kind", "parent", "origin")
    list_select_related = ("parent",)

    def create(actor, values, m2m):
        return operations.create_body(actor, values)

    def update(actor, obj, values, m2m):
        return operations.update_body(actor, obj, values)


@admin.register(CooperationField)
class CooperationFieldAdmin(AuditedAdmin):
    list_display = ("code", "__str__", "subcommittee", "origin")
    list_select_related = ("subcommittee",)
    filter_horizontal = ("dac_sectors",)

    def update(actor, obj, values, m2m):
        return operations.update_cooperation_field(actor, obj, values, dac_sectors=m2m.get("dac_sectors"))


@admin.register(DacSector)
class DacSectorAdmin(AuditedAdmin):
    """Read-only: the DAC purpose codes are the IATI Sector codelist (``serai loadreference``)."""

    list_display = ("code", "name", "category", "withdrawn")
    search_fields = ("code", "name")
