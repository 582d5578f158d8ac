from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog

from serai.access import audit_views
from serai.access import views as access_views
from serai.core import geo as core_geo
from serai.core import health as core_health
from serai.core import language as core_language
from serai.core import views as core_views
from serai.desk import views as desk_views
from serai.evidence import views as evidence_views
from serai.governance import views as governance_views
from serai.iati import views as iati_views
from serai.orgs import views as org_views
from serai.people import views as people_views
from serai.portal import sheets as portal_sheets
from serai.portal import views as portal_views
from serai.projects import views as project_views
from serai.reference import views as reference_views
from serai.reminders import views as reminders_views

handler400 = core_views.bad_request  # names the query parameters that do not validate

admin.site.site_header = "Serai"
admin.site.site_title = "Serai"

urlpatterns = [
    path("i18n/setlang/", core_language.set_language, name="set_language"),  # the same page, in the chosen language
    path("healthz", core_health.healthz, name="healthz"),  # for the reverse proxy (docs/deployment.md)
    path("map/<str:key>.svg", core_geo.shapes_view, name="map_shapes"),  # the map's shapes, cached for a year
    path("calendar.ics", governance_views.calendar_feed, name="calendar"),
    path("calendar/<slug:body>.ics", governance_views.calendar_feed, name="calendar_body"),
    path("calendar/me/<str:token>.ics", reminders_views.feed, name="personal_calendar"),
    path("iati/activities.xml", iati_views.activities_xml, name="iati_activities"),
    path("iati/organisations.xml", iati_views.organisations_xml, name="iati_organisations"),
    path("iati/projects/<int:pk>.xml", iati_views.project_xml, name="iati_project_xml"),
    path("api/v1/", include("serai.api_urls")),
]

urlpatterns += i18n_patterns(
    path("", portal_views.home, name="home"),
    path("dashboard/<slug:by>.csv", portal_views.chart_csv, name="dashboard_csv"),
    path("search/", portal_views.search, name="search"),
    path("fields/<slug:code>/", portal_views.field_detail, name="field_detail"),
    path("countries/", portal_views.member_state_list, name="member_state_list"),
    path("countries/<str:iso2>/", portal_views.member_state_detail, name="member_state_detail"),
    path("countries/<str:iso2>/brief.pdf", portal_sheets.country_brief, name="country_brief_pdf"),
    path("bodies/", reference_views.body_list, name="body_list"),
    path("bodies/<slug:code>/", governance_views.body_detail, name="body_detail"),
    path("fields/", reference_views.field_list, name="field_list"),
    path("forum/sessions/", governance_views.forum_sessions, name="forum_sessions"),
    path("meetings/new/", governance_views.meeting_create, name="meeting_create"),
    path("meetings/<int:pk>/", governance_views.meeting_detail, name="meeting_detail"),
    path("meetings/<int:pk>/edit/", governance_views.meeting_edit, name="meeting_edit"),
    path("meetings/<int:pk>/outcome.docx", governance_views.outcome_docx, name="meeting_outcome"),
    path("meetings/<int:pk>/minutes/", governance_views.minutes, name="minutes"),
    path("meetings/<int:pk>/minutes/move/", governance_views.minutes_move, name="minutes_move"),
    path("meetings/<int:pk>/minutes/<int:number>/", governance_views.minutes_revision, name="minutes_revision"),
    path("documents/<int:pk>/", governance_views.document_download, name="document_download"),
    path("bodies/<slug:code>/members/", governance_views.membership_add, name="membership_add"),
    path("memberships/<int:pk>/end/", governance_views.membership_end, name="membership_end"),
    path("forum/", governance_views.timeline, name="timeline"),
    path("workplan/", governance_views.work_plan_latest, name="work_plan_latest"),
    path("workplan/new/", governance_views.work_plan_create, name="work_plan_create"),
    path("workplan/<int:year>/", governance_views.work_plan, name="work_plan"),
    path("actions/overdue/", governance_views.overdue, name="actions_overdue"),
    path("decisions/<int:pk>/adopt/", governance_views.decision_adopt, name="decision_adopt"),
    path("decisions/<int:pk>/withdraw/", governance_views.decision_withdraw, name="decision_withdraw"),
    path("actions/", governance_views.action_tracker, name="action_tracker"),
    path("actions/<int:pk>/update/", governance_views.action_update, name="action_update"),
    path("organisations/", org_views.organisation_list, name="organisation_list"),
    path("organisations/new/", org_views.organisation_create, name="organisation_create"),
    path("organisations/<int:pk>/", org_views.organisation_detail, name="organisation_detail"),
    path("organisations/<int:pk>/edit/", org_views.organisation_edit, name="organisation_edit"),
    path("people/", people_views.person_list, name="person_list"),
    path("people/new/", people_views.person_create, name="person_create"),
    path("people/<int:pk>/", people_views.person_detail, name="person_detail"),
    path("people/<int:pk>/edit/", people_views.person_edit, name="person_edit"),
    path("projects/", project_views.project_list, name="project_list"),
    path("projects/new/", project_views.project_create, name="project_create"),
    path("projects/export.<str:fmt>", project_views.project_export, name="project_export"),
    path("projects/<int:pk>/", project_views.project_detail, name="project_detail"),
    path("projects/<int:pk>/factsheet.pdf", portal_sheets.project_sheet, name="project_factsheet_pdf"),
    path("projects/<int:pk>/edit/", project_views.project_edit, name="project_edit"),
    path("projects/<int:pk>/transition/", project_views.project_transition, name="project_transition"),
    path("projects/<int:pk>/participation/", project_views.project_participation, name="project_participation"),
    path("projects/<int:pk>/funding/", project_views.project_funding, name="project_funding"),
    path("projects/<int:pk>/appraisal/", project_views.project_appraisal, name="project_appraisal"),
    path("projects/<int:pk>/editors/", project_views.project_editors, name="project_editors"),
    path("projects/<int:pk>/results/", project_views.project_results, name="project_results"),
    path("trade/", evidence_views.trade_index, name="trade_index"),
    path("trade/methods/", evidence_views.methods, name="trade_methods"),
    path("trade/propose/", evidence_views.trade_propose, name="trade_propose"),
    path("trade/<str:partner>/", evidence_views.trade_pair, name="trade_pair"),
    path("trade/<str:partner>/opportunities.<str:fmt>", evidence_views.trade_export, name="trade_export"),
    path("iati/readiness/", iati_views.readiness_report, name="iati_readiness"),
    path("iati/landscape/", iati_views.landscape, name="iati_landscape"),
    path("iati/landscape/<int:pk>/", iati_views.landscape_detail, name="iati_landscape_detail"),
    path("iati/landscape/<int:pk>/link/", iati_views.landscape_link, name="iati_landscape_link"),
    path("my/", desk_views.my_work, name="my_work"),
    path("my/notifications/", desk_views.notifications, name="notifications"),
    path("my/calendar/", reminders_views.calendar_settings, name="calendar_settings"),
    path("my/notifications/<int:pk>/", desk_views.notification_open, name="notification_open"),
    path("my/filters/", desk_views.filter_save, name="filter_save"),
    path("my/filters/<int:pk>/delete/", desk_views.filter_delete, name="filter_delete"),
    path("network/", include("serai.network.urls")),
    path("reports/", include("serai.reports.urls")),
    path("control/", include("serai.controlroom.urls")),
    path("matchmaking/", include("serai.matchmaking.urls")),
    path("audit/", audit_views.audit_log, name="audit_log"),
    path("audit/<str:model>/<str:pk>/", audit_views.object_audit_log, name="object_audit_log"),
    path("languages/", audit_views.languages, name="languages"),
    path("charts/locale.json", core_views.chart_locale, name="chart_locale"),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password/", access_views.PasswordChangeView.as_view(), name="password_change"),
    path(
        "accounts/password/done/",
        auth_views.PasswordChangeDoneView.as_view(template_name="registration/change_password_done.html"),
        name="password_change_done",
    ),
    path("accounts/password/reset/", access_views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "accounts/password/reset/sent/",
        auth_views.PasswordResetDoneView.as_view(template_name="registration/reset_password_sent.html"),
        name="password_reset_done",
    ),
    path(
        "accounts/password/reset/<uidb64>/<token>/",
        access_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "accounts/password/reset/complete/",
        auth_views.PasswordResetCompleteView.as_view(template_name="registration/reset_password_complete.html"),
        name="password_reset_complete",
    ),
    path("accounts/2fa/", access_views.two_factor, name="two_factor"),
    path("accounts/lockouts/", access_views.lockouts, name="login_lockouts"),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("admin/", admin.site.urls),
)
