from django.contrib import admin

from serai.access.admin_base import AuditedAdmin

from . import operations
from .models import Organisation


@admin.register(Organisation)
class OrganisationAdmin(AuditedAdmin):
    edit_action = "organisation.edit"
    list_display = ("__str__", "helix", "iati_type", "member_state", "is_demo")
    list_filter = ("helix", "member_state", "is_demo")
    list_select_related = ("member_state",)
    filter_horizontal = ("fields",)

    def create(actor, values, m2m):
        return operations.create_organisation(actor, values, m2m.get("fields", ()))

    def update(actor, obj, values, m2m):
        return operations.update_organisation(actor, obj, values, m2m.get("fields"))

    def delete(actor, obj):
        operations.delete_organisation(actor, obj)
