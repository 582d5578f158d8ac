from django.contrib import admin

from serai.access import permissions
from serai.core.admin_base import AuditedAdmin

from .models import Person


@admin.register(Person)
class PersonAdmin(AuditedAdmin):
    edit_action = "person.edit"
    list_display = ("__str__", "organisation", "member_state", "is_public", "is_demo")
    list_filter = ("member_state", "is_public", "is_demo")
    list_select_related = ("organisation", "member_state")
    raw_id_fields = ("user",)
    filter_horizontal = ("fields",)

    def check_create(self, request, obj) -> None:
        permissions.require(request.user, "person.create", (obj.member_state_id, obj.organisation_id))
