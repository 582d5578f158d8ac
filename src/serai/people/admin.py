from django.contrib import admin

from serai.access.admin_base import AuditedAdmin

from . import operations
from .models import Person


@admin.register(Person)
class PersonAdmin(AuditedAdmin):
    edit_action = "person.edit"
    list_display = ("__str__", "organisation", "member_state", "is_public", "is_demo")
    list_filter = ("member_state", "is_public", "is_demo")
    list_select_related = ("organisation", "member_state")
    raw_id_fields = ("user",)
    filter_horizontal = ("fields",)

    def create(actor, values, m2m):
        return operations.create_person(actor, values, m2m.get("fields", ()))

    def update(actor, obj, values, m2m):
        return operations.update_person(actor, obj, values, m2m.get("fields"))

    def delete(actor, obj):
        operations.delete_person(actor, obj)
