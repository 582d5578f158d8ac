"""A collected pack (:mod:`.pack`) as file bytes: PDF through ``serai.core.pdf`` (WeasyPrint, fonts
embedded, no network) or DOCX through python-docx (tables, no charts: Word draws no SVG).

The meeting record's DOCX is the governance outcome document (``governance.outcome``: agenda,
decisions, action items, built from the same permission-filtered meeting page) with the minutes,
the participants and delegations and the list of documents added after it.
"""

from __future__ import annotations

import io

from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from docx import Document
from docx.shared import Pt

from serai.core import pdf
from serai.governance import outcome

from .pack import Pack, text


def _context(pack: Pack) -> dict:
    data = pack.data
    meeting = pack.meeting
    context = dict(data)
    context["theme"] = text(meeting.theme, pack.language) if meeting.theme else ""
    context["generated_on"] = timezone.localdate().isoformat()
    if pack.kind == "briefing":
        pipeline = data["pipeline"]
        context["pipeline_tables"] = [
            (_("By country"), pipeline["by_country"]),
            (_("By field"), pipeline["by_field"]),
        ]
        plan = data.get("work_plan")
        if plan and plan.get("progress") is not None:
            plan["progress_pct"] = round(100 * plan["progress"])
    return context


def render_html(pack: Pack) -> str:
    template = "reports/briefing.html" if pack.kind == "briefing" else "reports/record.html"
    return pdf.render_html(template, _context(pack), language=pack.language)


def render_pdf(pack: Pack) -> bytes:
    return pdf.html_to_pdf(render_html(pack))


# --- DOCX ------------------------------------------------------------------------------------------
def _table(document, header: list[str], rows: list[list], numeric: set[int] = frozenset()) -> None:
    table = document.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    for cell, label in zip(table.rows[0].cells, header):
        cell.text = str(label)
        for run in cell.paragraphs[0].runs:
            run.bold = True
    for row in rows:
        cells = table.add_row().cells
        for i, value in enumerate(row):
            cells[i].text = "" if value is None else str(value)
    document.add_paragraph()


def _date(value) -> str:
    return value.isoformat() if value else "—"


def _fmt(value, digits=0) -> str:
    if value is None:
        return "–"
    return f"{value:,.{digits}f}"


def briefing_docx(pack: Pack) -> bytes:
    with translation.override(pack.language):
        return _briefing_docx(pack)


def _new_document(pack: Pack, title: str) -> Document:
    document = Document()
    outcome._fonts(document)  # Latin and East Asian fonts, as in the outcome document
    document.core_properties.title = title
    document.core_properties.language = pack.language
    document.core_properties.author = "Serai"
    return document


def _briefing_docx(pack: Pack) -> bytes:
    d = pack.data
    lang = pack.language
    document = _new_document(pack, f"{_('Session briefing pack')} — {d['title']}")
    document.add_paragraph(_("Korea–Central Asia Cooperation Forum"))
    document.add_heading(_("Session briefing pack"), level=0)
    document.add_paragraph(d["title"]).runs[0].bold = True
    document.add_paragraph(" · ".join(d["facts"]))
    if pack.meeting.theme:
        document.add_paragraph(text(pack.meeting.theme, lang)).runs[0].italic = True
    document.add_paragraph(d["audience_label"])

    document.add_heading(_("Agenda and documents"), level=1)
    if not d["agenda"]:
        document.add_paragraph(_("No agenda recorded."))
    for item in d["agenda"]:
        p = document.add_paragraph(f"{item['numbering']} {item['title']}")
        p.paragraph_format.left_indent = Pt(18 * item["depth"])
        for doc in item["documents"]:
            q = document.add_paragraph(f"{doc['title']} ({doc['kind']})", style="List Bullet")
            q.paragraph_format.left_indent = Pt(18 * (item["depth"] + 1))
    if d["other_documents"]:
        document.add_heading(_("Other documents"), level=2)
        for doc in d["other_documents"]:
            document.add_paragraph(f"{doc['title']} ({doc['kind']})", style="List Bullet")

    document.add_heading(_("Projects proposed for endorsement"), level=1)
    if not d["proposed"]:
        document.add_paragraph(_("No project is proposed for endorsement."))
    for p in d["proposed"]:
        document.add_heading(f"{p['code']} — {p['title']}", level=2)
        facts = [
            (_("Status"), p["status"]),
            (_("Countries"), p["countries"] or "—"),
            (_("Fields"), p["fields"] or "—"),
        ]
        if p["subcommittee"]:
            facts.append((_("Subcommittee"), p["subcommittee"]))
        if p["budget_usd"]:
            facts.append((_("Budget (USD)"), _fmt(p["budget_usd"])))
        if p["partners"]:
            facts.append((_("Partners"), ", ".join(p["partners"])))
        for label, value in facts:
            para = document.add_paragraph()
            para.add_run(f"{label}: ").bold = True
            para.add_run(str(value))
        if p["summary"]:
            document.add_paragraph(p["summary"])
        if p["appraisal"]:
            a = p["appraisal"]
            document.add_paragraph(
                ngettext(
                    "Appraisal summary (%(n)s completed appraisal)",
                    "Appraisal summary (%(n)s completed appraisals)",
                    a["count"],
                )
                % {"n": a["count"]}
            )
            _table(
                document,
                [_("Criterion"), _("Mean score")],
                [[r["label"], r["mean"] if r["mean"] is not None else "–"] for r in a["rows"]]
                + [[_("Total (of 30)"), a["total"] if a["total"] is not None else "–"]],
            )
        else:
            document.add_paragraph(
                _("The appraisal is read by the Secretariat and the subcommittee; this edition gives its outcome only.")
            )
        e = p["evidence"]
        if e:
            line = _("%(e)s → %(m)s, product %(code)s, %(year)s") % {
                "e": e["exporter"],
                "m": e["market"],
                "code": e["code"],
                "year": e["year"],
            }
            line += f"; {_('untapped potential')} {_fmt(e['untapped'])} {_('thousand USD')}"
            if e["synthetic"]:
                line += f" — {_('Synthetic data — not real trade figures.')}"
            para = document.add_paragraph()
            para.add_run(f"{_('Trade evidence')}: ").bold = True
            para.add_run(line)

    pipeline = d["pipeline"]
    document.add_heading(_("The pipeline by country and field"), level=1)
    document.add_paragraph(
        ngettext("%(n)s project in the pipeline.", "%(n)s projects in the pipeline.", pipeline["total"])
        % {"n": pipeline["total"]}
    )
    for caption, key in ((_("By country"), "by_country"), (_("By field"), "by_field")):
        if pipeline[key]:
            document.add_heading(caption, level=2)
            _table(
                document,
                ["", *pipeline["stages"], _("Total")],
                [[r["name"], *r["cells"], r["total"]] for r in pipeline[key]],
            )
    if pipeline["projects"]:
        document.add_heading(_("Projects in the pipeline"), level=2)
        _table(
            document,
            [_("Code"), _("Title"), _("Status"), _("Countries"), _("Fields")],
            [[p["code"], p["title"], p["status"], p["countries"], p["fields"]] for p in pipeline["projects"]],
        )

    document.add_heading(_("Decisions of the previous session and their action items"), level=1)
    prev = d["previous"]
    if prev is None:
        document.add_paragraph(_("No earlier session of this body is recorded."))
    else:
        document.add_paragraph(prev["title"]).runs[0].bold = True
        if not prev["decisions"]:
            document.add_paragraph(_("No decision recorded."))
        for dec in prev["decisions"]:
            head = document.add_paragraph()
            head.add_run(
                (f"§{dec['number']} · " if dec["number"] else "") + f"{dec['kind']} — {dec['status']}"
            ).bold = True
            document.add_paragraph(dec["text"])
            if dec["projects"]:
                document.add_paragraph(f"{_('Endorses')}: " + "; ".join(dec["projects"]))
        if prev["actions_visible"]:
            document.add_heading(_("Action items"), level=2)
            _table(
                document,
                [_("Action"), _("Decision"), _("Owner"), _("Due"), _("Status"), _("Last update")],
                [
                    [
                        a["title"],
                        f"§{a['decision']}" if a["decision"] else "",
                        a["owner"],
                        _date(a["due"]),
                        a["status"],
                        _date(a["last_update"]),
                    ]
                    for a in prev["actions"]
                ],
            )
        else:
            document.add_paragraph(
                _(
                    "Action items are followed by the member states and the Secretariat; "
                    "this edition lists the decisions only."
                )
            )

    document.add_heading(_("Progress of the work plan"), level=1)
    plan = d["work_plan"]
    if plan is None:
        document.add_paragraph(_("No work plan is recorded."))
    else:
        line = _("Work plan %(year)s") % {"year": plan["year"]}
        if plan["title"]:
            line += f" — {plan['title']}"
        document.add_paragraph(line).runs[0].bold = True
        rows = []
        for area in plan["areas"]:
            for n, a in enumerate(area["activities"]):
                rows.append(
                    [
                        area["title"] if n == 0 else "",
                        a["title"],
                        a["status"],
                        "–" if a["progress"] is None else round(100 * a["progress"]),
                    ]
                )
        _table(document, [_("Priority area"), _("Activity"), _("Status"), _("Progress (%)")], rows)

    document.add_heading(_("Trade briefs: Central Asia"), level=1)
    for brief in d.get("trade_briefs") or []:
        document.add_heading(_("Trade brief: %(country)s") % {"country": brief["name"]}, level=2)
        if not brief.get("available"):
            document.add_paragraph(brief.get("reason", ""))
            continue
        if brief.get("synthetic"):
            document.add_paragraph(f"{_('Synthetic data — not real trade figures.')} {brief['dataset']}").runs[
                0
            ].bold = True
        s = brief["summary"]
        _table(
            document,
            ["", str(brief["year"])],
            [
                [_("Korea's exports to the partner"), _fmt(s.get("exports"))],
                [_("Korea's imports from the partner"), _fmt(s.get("imports"))],
                [_("Balance"), _fmt(s.get("balance"))],
                [_("Turnover"), _fmt(s.get("turnover"))],
                [_("Complementarity, Korea's exports → partner's imports"), _fmt(s.get("tci_reporter_to_partner"), 1)],
                [_("Complementarity, partner's exports → Korea's imports"), _fmt(s.get("tci_partner_to_reporter"), 1)],
            ],
        )
        _table(
            document,
            [_("Year"), _("Korea's exports"), _("Korea's imports")],
            [[r["year"], _fmt(r.get("exports")), _fmt(r.get("imports"))] for r in brief["trend"]],
        )
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def record_docx(pack: Pack) -> bytes:
    """The outcome document (governance) with the minutes, participants and documents added."""
    with translation.override(pack.language):
        base = outcome.docx(pack.data["page"], language=pack.language)
        document = Document(io.BytesIO(base))
        d = pack.data
        document.add_heading(_("Minutes"), level=1)
        minutes = d["minutes"]
        if minutes is None:
            document.add_paragraph(_("No adopted minutes yet."))
        else:
            document.add_paragraph(minutes["status"]).runs[0].italic = True
            for paragraph in (minutes["text"] or "").split("\n"):
                document.add_paragraph(paragraph)
        document.add_heading(_("Participants and delegations"), level=1)
        if not d["delegations"]:
            document.add_paragraph(_("No participant recorded."))
        for group in d["delegations"]:
            document.add_heading(
                f"{group['label']} ("
                + _("%(attended)s of %(size)s attended") % {"attended": group["attended"], "size": group["size"]}
                + ")",
                level=2,
            )
            for m in group["members"]:
                line = (
                    m["name"] + (f", {m['position']}" if m["position"] else "") + f" — {m['role']}, {m['attendance']}"
                )
                document.add_paragraph(line, style="List Bullet")
        document.add_heading(_("Documents"), level=1)
        if not d["documents"]:
            document.add_paragraph(_("No document."))
        for doc in d["documents"]:
            document.add_paragraph(f"{doc['title']} ({doc['kind']})", style="List Bullet")
        out = io.BytesIO()
        document.save(out)
        return out.getvalue()
