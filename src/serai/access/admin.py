from django.contrib import admin

from serai.access import operations, permissions
from serai.core.models import AuditEntry

from .models import RoleAssignment


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(admin.ModelAdmin):
    list_display = ("user", "role", "member_state", "body", "organisation", "granted_at")
    list_filter = ("role",)
    list_select_related = ("user", "member_state", "body", "organisation")
    raw_id_fields = ("user",)

    def has_module_permission(self, request):
        return permissions.can(request.user, "role.manage")

    has_view_permission = has_add_permission = lambda self, request, obj=None: permissions.can(
        request.user, "role.manage"
    )
    has_delete_permission = has_view_permission

    def has_change_permission(self, request, obj=None):
        return False  # revoke and grant again: an assignment is never edited in place

    def save_model(self, request, obj, form, change):
        scope = obj.member_state or obj.body or obj.organisation
        saved = operations.grant_role(request.user, obj.user, obj.role, scope)
        obj.pk = saved.pk

    def delete_model(self, request, obj):
        operations.revoke_role(request.user, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            operations.revoke_role(request.user, obj)


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
