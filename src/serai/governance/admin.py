from django.contrib import admin

from serai.access.admin_base import AuditedAdmin

from . import operations
from .models import Meeting


@admin.register(Meeting)
class MeetingAdmin(AuditedAdmin):
    edit_action = "meeting.edit"
    list_display = ("__str__", "year", "host_country", "status", "verified", "origin")
    list_filter = ("body", "status", "verified")
    list_select_related = ("body", "host_country")

    def create(actor, values, m2m):
        return operations.create_meeting(actor, values)

    def update(actor, obj, values, m2m):  # a new status moves through the meeting's machine
        return operations.update_meeting(actor, obj, values)
