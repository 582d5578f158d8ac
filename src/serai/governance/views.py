from __future__ import annotations

from django.shortcuts import render

from . import queries


def forum_sessions(request):
    return render(request, "governance/session_list.html", {"sessions": queries.forum_sessions(request.user)})
