from django.contrib import admin

from serai.core.admin_base import AuditedAdmin

from .models import Meeting


@admin.register(Meeting)
class MeetingAdmin(AuditedAdmin):
    edit_action = "meeting.edit"
    list_display = ("__str__", "year", "host_country", "status", "verified", "origin")
    list_filter = ("body", "status", "verified")
    list_select_related = ("body", "host_country")
