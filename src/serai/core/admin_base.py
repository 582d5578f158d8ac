"""Django admin that writes through the audited operations, never around them."""

from __future__ import annotations

from django.contrib import admin
from django.db import models

from serai.access import permissions
from serai.core.operations import create_object, delete_object, update_object


class AuditedAdmin(admin.ModelAdmin):
    #: permission action checked for add/change/delete (see serai.access.permissions.RULES)
    edit_action = "reference.edit"
    view_action = "reference.view"

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if isinstance(db_field, models.URLField):
            kwargs.setdefault("assume_scheme", "https")
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def _label(self) -> str:
        return self.model._meta.model_name

    def has_module_permission(self, request):
        return permissions.can(request.user, "admin.access")

    def has_view_permission(self, request, obj=None):
        return permissions.can(request.user, "admin.access")

    def has_add_permission(self, request):
        return permissions.can(request.user, "admin.access") and permissions.principal(request.user).secretariat

    def has_change_permission(self, request, obj=None):
        return self.has_add_permission(request)

    def has_delete_permission(self, request, obj=None):
        return self.has_add_permission(request)

    def _values(self, obj, form) -> tuple[dict, dict]:
        values, m2m = {}, {}
        for name in form.cleaned_data:
            try:
                field = obj._meta.get_field(name)
            except Exception:
                continue
            if isinstance(field, models.ManyToManyField):
                m2m[name] = form.cleaned_data[name]
            elif field.concrete and field.editable:
                values[name] = getattr(obj, field.attname if field.is_relation else name)
                if field.is_relation:
                    values[field.attname] = values.pop(name)
        return values, m2m

    def check_create(self, request, obj) -> None:
        permissions.require(request.user, self.edit_action, None)

    def save_model(self, request, obj, form, change):
        if change:
            permissions.require(request.user, self.edit_action, type(obj)._default_manager.get(pk=obj.pk))
        else:
            self.check_create(request, obj)
        values, m2m = self._values(obj, form)
        if change:
            saved = update_object(request.user, obj, f"{self._label()}.admin_update", values, m2m=m2m)
        else:
            saved = create_object(request.user, type(obj), f"{self._label()}.admin_create", values, m2m=m2m)
        obj.pk = saved.pk
        obj._state = saved._state

    def save_related(self, request, form, formsets, change):
        # Many-to-many values were written (and audited) in save_model.
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    def delete_model(self, request, obj):
        permissions.require(request.user, self.edit_action, obj)
        delete_object(request.user, obj, f"{self._label()}.admin_delete")

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)
