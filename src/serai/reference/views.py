"""Reference pages: the Forum's bodies and the cooperation fields. (A member state's page is the
portal's; a body's page, with its seats and meetings, is governance's.)"""

from __future__ import annotations

from django.shortcuts import render

from . import queries


def body_list(request):
    return render(request, "reference/body_list.html", {"bodies": queries.bodies(request.user)})


def field_list(request):
    return render(request, "reference/field_list.html", {"fields": queries.cooperation_fields(request.user)})
