from django.contrib import admin

from serai.access import permissions
from serai.core.admin_base import AuditedAdmin

from .models import Organisation


@admin.register(Organisation)
class OrganisationAdmin(AuditedAdmin):
    edit_action = "organisation.edit"
    list_display = ("__str__", "helix", "iati_type", "member_state", "is_demo")
    list_filter = ("helix", "member_state", "is_demo")
    list_select_related = ("member_state",)
    filter_horizontal = ("fields",)

    def check_create(self, request, obj) -> None:
        permissions.require(request.user, "organisation.create", obj.member_state_id)
