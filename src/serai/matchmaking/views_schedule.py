"""The Secretariat's scheduler button on the event page. Thin: call the operation, say what it did."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from serai.core.forms import error_text, run_operation

from . import operations, queries

# seconds the solver may take from a page (the worker's timeout is 30 s; large events: the command)
PAGE_TIME_LIMIT = 15.0


@login_required
@require_POST
def schedule_run(request, pk: int):
    event = get_object_or_404(queries.events(request.user), pk=pk)
    form = forms.Form(request.POST)
    summary = run_operation(form, lambda: operations.run_scheduler(request.user, event, time_limit=PAGE_TIME_LIMIT))
    if summary is None:
        messages.error(request, error_text(form))
    else:
        messages.success(
            request,
            _(
                "Scheduled: %(placed)s of %(accepted)s accepted requests placed (at most %(bound)s are possible); "
                "%(kept)s confirmed meetings kept, %(moved)s moved, %(unplaced)s taken out; "
                "participants with no meeting: %(none)s."
            )
            % {
                "placed": summary["placed"],
                "accepted": summary["accepted"],
                "bound": summary["upper_bound"],
                "kept": summary["kept"],
                "moved": summary["moved"],
                "unplaced": summary["unplaced"],
                "none": summary["with_none"],
            },
        )
    return redirect("matchmaking:event_detail", event.pk)
