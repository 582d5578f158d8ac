from django.contrib import admin

from serai.access import permissions

from .models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """Read-only: the audit log is append-only."""

    list_display = ("at", "actor_label", "action", "object_repr")
    list_filter = ("action",)
    search_fields = ("object_repr", "actor_label", "action")
    date_hierarchy = "at"

    def has_module_permission(self, request):
        return permissions.can(request.user, "audit.view")

    def has_view_permission(self, request, obj=None):
        return permissions.can(request.user, "audit.view")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
