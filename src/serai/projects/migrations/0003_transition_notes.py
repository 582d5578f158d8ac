"""Timeline notes are stored as a kind and parameters, rendered in the reader's language.

Rows written before (an endorsement by a decision, whose note was stored as a sentence in the
language of the person who adopted the decision) are converted when their sentence is
recognised in any interface language: the decision is found again (the row's meeting and
project), and its name is rebuilt in every language; if it cannot be found, the name is kept as
written, in the language it was written in. Rows that are not recognised keep their text."""

import re

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models
from django.utils import translation

from serai.core.i18n import TranslatedText

NOTE = "Endorsed by decision %(decision)s"
MEETING = "%(body)s no. %(number)s (%(year)s)"  # governance.models.Meeting.__str__


def _decision_names(decision):
    """governance.models.Decision.__str__ in every interface language."""
    meeting = decision.meeting
    names = {}
    for lang, _name in settings.LANGUAGES:
        with translation.override(lang):
            body = TranslatedText.coerce(meeting.body.name).get(lang) or meeting.body.code
            title = (
                translation.gettext(MEETING) % {"body": body, "number": meeting.number, "year": meeting.year}
                if meeting.number
                else f"{body} {meeting.year}"
            )
        names[lang] = f"{title} §{decision.number or decision.pk}"
    return {"values": names, "source": settings.LANGUAGE_CODE}


def forwards(apps, schema_editor):
    Transition = apps.get_model("projects", "ProjectTransition")
    Decision = apps.get_model("governance", "Decision")
    patterns = []
    for lang, _name in settings.LANGUAGES:
        with translation.override(lang):
            before, _sep, after = translation.gettext(NOTE).partition("%(decision)s")
        patterns.append((lang, re.compile(re.escape(before) + r"(?P<name>.+)" + re.escape(after) + r"\Z", re.S)))
    for row in Transition.objects.filter(name="endorse", note_kind="").exclude(reason=""):
        for _lang, pattern in patterns:
            match = pattern.match(row.reason.strip())
            if match:
                break
        else:
            continue  # a person's own words: kept as they are
        name = match.group("name")
        number = re.search(r"§(\d+)\Z", name)
        decisions = list(
            Decision.objects.select_related("meeting__body").filter(
                meeting_id=row.meeting_id, projects__id=row.project_id
            )
        )
        if number and len(decisions) > 1:
            decisions = [d for d in decisions if str(d.number or d.pk) == number.group(1)]
        param = _decision_names(decisions[0]) if len(decisions) == 1 else {"values": {lang: name}, "source": lang}
        row.note_kind = "endorsed_by_decision"
        row.note_params = {"decision": param}
        row.reason = ""
        row.save(update_fields=["note_kind", "note_params", "reason"])


def backwards(apps, schema_editor):
    Transition = apps.get_model("projects", "ProjectTransition")
    for row in Transition.objects.filter(note_kind="endorsed_by_decision"):
        row.reason = NOTE % {"decision": TranslatedText.coerce(row.note_params.get("decision")).get("en")}
        row.save(update_fields=["reason"])


class Migration(migrations.Migration):
    dependencies = [
        ("governance", "0003_minutes_membership_workplan"),  # Decision.projects
        ("projects", "0002_search_index"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="projecttransition",
            options={
                "ordering": ["at", "id"],
                "verbose_name": "timeline entry",
                "verbose_name_plural": "timeline entries",
            },
        ),
        migrations.AddField(
            model_name="projecttransition",
            name="note_kind",
            field=models.CharField(blank=True, max_length=40, verbose_name="note"),
        ),
        migrations.AddField(
            model_name="projecttransition",
            name="note_params",
            field=models.JSONField(blank=True, default=dict, verbose_name="note parameters"),
        ),
        migrations.AlterField(
            model_name="projecttransition",
            name="actor",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="who",
            ),
        ),
        migrations.AlterField(
            model_name="projecttransition",
            name="actor_label",
            field=models.CharField(max_length=200, verbose_name="who"),
        ),
        migrations.AlterField(
            model_name="projecttransition",
            name="at",
            field=models.DateTimeField(auto_now_add=True, verbose_name="when"),
        ),
        migrations.AlterField(
            model_name="projecttransition",
            name="from_status",
            field=models.CharField(
                choices=[
                    ("idea", "Idea"),
                    ("submitted", "Proposal submitted"),
                    ("screening", "Secretariat screening"),
                    ("appraisal", "Subcommittee appraisal"),
                    ("recommended", "Recommended"),
                    ("endorsed", "Endorsed"),
                    ("implementation", "In implementation"),
                    ("completed", "Completed"),
                    ("evaluated", "Evaluated"),
                    ("returned", "Returned for revision"),
                    ("declined", "Declined"),
                    ("withdrawn", "Withdrawn"),
                    ("suspended", "Suspended"),
                ],
                max_length=20,
                verbose_name="from",
            ),
        ),
        migrations.AlterField(
            model_name="projecttransition",
            name="meeting",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="governance.meeting",
                verbose_name="meeting",
            ),
        ),
        migrations.AlterField(
            model_name="projecttransition",
            name="project",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="transitions",
                to="projects.project",
                verbose_name="project",
            ),
        ),
        migrations.AlterField(
            model_name="projecttransition",
            name="reason",
            field=models.TextField(blank=True, verbose_name="reason"),
        ),
        migrations.AlterField(
            model_name="projecttransition",
            name="to_status",
            field=models.CharField(
                choices=[
                    ("idea", "Idea"),
                    ("submitted", "Proposal submitted"),
                    ("screening", "Secretariat screening"),
                    ("appraisal", "Subcommittee appraisal"),
                    ("recommended", "Recommended"),
                    ("endorsed", "Endorsed"),
                    ("implementation", "In implementation"),
                    ("completed", "Completed"),
                    ("evaluated", "Evaluated"),
                    ("returned", "Returned for revision"),
                    ("declined", "Declined"),
                    ("withdrawn", "Withdrawn"),
                    ("suspended", "Suspended"),
                ],
                max_length=20,
                verbose_name="to",
            ),
        ),
        migrations.RunPython(forwards, backwards),
    ]
