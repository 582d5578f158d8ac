"""Django admin that writes through the domain operations, never around them.

Each admin names the operations it writes through (``create``/``update``/``delete``); the
operation checks the rule, marks a staff correction (so ``loadreference`` keeps it) and audits.
What has no operation is read-only here and edited on Serai's own pages."""

from __future__ import annotations

from django.contrib import admin
from django.db import models

from serai.access import permissions
from serai.core import workflow


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

    # The domain operations this admin writes through (None: that write is not offered here).
    # ``create(actor, values, m2m)``, ``update(actor, obj, values, m2m)``, ``delete(actor, obj)``:
    # each checks its own rule, marks what it must (a staff correction) and audits. A model
    # without them is read-only in the admin: there is no second write path around the domain.
    create = None
    update = None
    delete = None

    def _staff(self, request) -> bool:
        return permissions.can(request.user, "admin.access") and permissions.principal(request.user).secretariat

    def has_add_permission(self, request):
        return self.create is not None and self._staff(request)

    def has_change_permission(self, request, obj=None):
        return self.update is not None and self._staff(request)

    def has_delete_permission(self, request, obj=None):
        return self.delete is not None and self._staff(request)

    def get_readonly_fields(self, request, obj=None):
        # where a row comes from (reference data or a staff correction) is the operation's to set
        fields = list(super().get_readonly_fields(request, obj))
        if any(f.name == "origin" for f in self.model._meta.concrete_fields):
            fields.append("origin")
        return fields

    def get_form(self, request, obj=None, **kwargs):
        """A status the model's machine does not move to from the current one is a form error
        (the operation fires the declared transition; an undeclared one never reaches it)."""
        form = super().get_form(request, obj, **kwargs)
        machine = workflow.machine_for(self.model)
        if machine is None or obj is None or machine.field not in form.base_fields:
            return form
        current = getattr(obj, machine.field)

        class Guarded(form):
            def clean(inner):
                data = super().clean()
                target = data.get(machine.field)
                if target and target != current:
                    try:
                        machine.to(type(obj)(**{machine.field: current}), target)
                    except workflow.TransitionError as exc:
                        inner.add_error(machine.field, exc.problems)
                return data

        return Guarded

    def _values(self, obj, form) -> tuple[dict, dict]:
        values, m2m = {}, {}
        for name in form.cleaned_data:
            try:
                field = obj._meta.get_field(name)
            except Exception:
                continue
            if isinstance(field, models.ManyToManyField):
                m2m[name] = list(form.cleaned_data[name])
            elif field.concrete and field.editable:
                values[name] = getattr(obj, name)
        return values, m2m

    def save_model(self, request, obj, form, change):
        values, m2m = self._values(obj, form)
        if change:
            current = type(obj)._default_manager.get(pk=obj.pk)
            saved = type(self).update(request.user, current, values, m2m)
        else:
            saved = type(self).create(request.user, values, m2m)
        obj.pk = saved.pk
        obj._state = saved._state

    def save_related(self, request, form, formsets, change):
        # Many-to-many values were written (and audited) by the operation in save_model.
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    def delete_model(self, request, obj):
        type(self).delete(request.user, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)
