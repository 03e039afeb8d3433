from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from alongside.views import home
from assessments import api as assessments_api
from board import api as board_api
from circles import api as circles_api
from circles import urls as circles_urls
from circles import views as circles_views
from conferences import api as meetings_api
from importing import api as importing_api
from network.health import healthz
from overview import api as overview_api
from overview import client_urls as overview_client_urls
from packs import api as packs_api
from realtime import views as realtime_views
from referrals import api as referrals_api
from reminders import api as reminders_api
from reporting import api as reporting_api
from sharing import client_urls as sharing_client_urls
from sharing.api import notes as notes_api
from sharing.api import plans as plans_api
from sharing.api import templates as plan_templates_api
from sharing.api import timeline as timeline_api
from sharing.views import plans as plan_views
from subject_access import api as subject_access_api

api_v1 = [
    path("clients/", circles_api.ClientListApi.as_view(), name="clients"),
    path("clients/<str:public_id>/", circles_api.ClientDetailApi.as_view(), name="client"),
    path("clients/<str:public_id>/members/", circles_api.MemberListApi.as_view(), name="members"),
    path(
        "clients/<str:public_id>/members/<int:member_id>/",
        circles_api.MemberDetailApi.as_view(),
        name="member",
    ),
    path(
        "clients/<str:public_id>/members/<int:member_id>/hidden/",
        circles_api.MemberHideApi.as_view(),
        name="member_hidden",
    ),
    path(
        "clients/<str:public_id>/join-requests/",
        circles_api.JoinRequestListApi.as_view(),
        name="join_requests",
    ),
    path(
        "clients/<str:public_id>/join-requests/<int:request_id>/decision/",
        circles_api.JoinRequestDecisionApi.as_view(),
        name="join_request_decision",
    ),
    path("clients/<str:public_id>/consents/", circles_api.ConsentListApi.as_view(), name="consents"),
    path(
        "clients/<str:public_id>/consents/<int:consent_id>/withdraw/",
        circles_api.ConsentWithdrawApi.as_view(),
        name="consent_withdraw",
    ),
    path(
        "clients/<str:public_id>/emergency-access/",
        circles_api.EmergencyAccessApi.as_view(),
        name="emergency_access",
    ),
    path("clients/<str:public_id>/stage/", circles_api.StageApi.as_view(), name="stage"),
    path("clients/<str:public_id>/stage/reopen/", circles_api.ReopenApi.as_view(), name="reopen"),
    path("clients/<str:public_id>/plan/", plans_api.PlanApi.as_view(), name="plan"),
    path("clients/<str:public_id>/plan/goals/", plans_api.GoalListApi.as_view(), name="goals"),
    path("clients/<str:public_id>/plan/goals/<int:goal_id>/", plans_api.GoalDetailApi.as_view(), name="goal"),
    path(
        "clients/<str:public_id>/plan/goals/<int:goal_id>/actions/",
        plans_api.ActionListApi.as_view(),
        name="actions",
    ),
    path(
        "clients/<str:public_id>/plan/actions/<int:action_id>/",
        plans_api.ActionDetailApi.as_view(),
        name="action",
    ),
    path(
        "clients/<str:public_id>/plan/<str:kind>/<int:item_id>/history/",
        plans_api.HistoryApi.as_view(),
        name="plan_history",
    ),
    path(
        "clients/<str:public_id>/plan/from-template/",
        plan_templates_api.PlanFromTemplateApi.as_view(),
        name="plan_from_template",
    ),
    path("plan-templates/", plan_templates_api.PlanTemplateListApi.as_view(), name="plan_templates"),
    path("clients/<str:public_id>/plan/agreements/", plans_api.AgreementListApi.as_view(), name="agreements"),
    path(
        "clients/<str:public_id>/plan/agreements/<int:agreement_id>/",
        plans_api.AgreementDetailApi.as_view(),
        name="agreement",
    ),
    path("my-actions/", plans_api.MyActionsApi.as_view(), name="my_actions"),
    path("my-clients/new/", overview_api.MyClientsNewApi.as_view(), name="my_clients_new"),
    path("clients/<str:public_id>/since/", overview_api.SinceApi.as_view(), name="since"),
    path("clients/<str:public_id>/timeline/", timeline_api.TimelineApi.as_view(), name="timeline"),
    path("clients/<str:public_id>/board/cards/", board_api.CardListApi.as_view(), name="board_cards"),
    path(
        "clients/<str:public_id>/board/cards/<int:card_id>/",
        board_api.CardDetailApi.as_view(),
        name="board_card",
    ),
    path(
        "clients/<str:public_id>/board/cards/<int:card_id>/move/",
        board_api.CardMoveApi.as_view(),
        name="board_card_move",
    ),
    path(
        "clients/<str:public_id>/board/cards/<int:card_id>/close/",
        board_api.CardCloseApi.as_view(),
        name="board_card_close",
    ),
    path(
        "clients/<str:public_id>/board/cards/<int:card_id>/link/",
        board_api.CardLinkApi.as_view(),
        name="board_card_link",
    ),
    path(
        "clients/<str:public_id>/board/cards/<int:card_id>/to-plan/",
        board_api.CardToPlanApi.as_view(),
        name="board_card_to_plan",
    ),
    path(
        "clients/<str:public_id>/board/cards/<int:card_id>/history/",
        board_api.CardHistoryApi.as_view(),
        name="board_card_history",
    ),
    path("clients/<str:public_id>/board/scales/", board_api.ScaleListApi.as_view(), name="board_scales"),
    path("referrals/", referrals_api.ReferralListApi.as_view(), name="referrals"),
    path("referrals/<int:referral_id>/", referrals_api.ReferralDetailApi.as_view(), name="referral"),
    path(
        "referrals/<int:referral_id>/<str:step>/",
        referrals_api.ReferralStepApi.as_view(),
        name="referral_step",
    ),
    path("reminders/preferences/", reminders_api.PreferencesApi.as_view(), name="reminder_preferences"),
    path("clients/<str:public_id>/handovers/", referrals_api.HandoverListApi.as_view(), name="handovers"),
    path(
        "handovers/<int:handover_id>/<str:decision>/",
        referrals_api.HandoverDecisionApi.as_view(),
        name="handover_decision",
    ),
    path("instruments/", assessments_api.InstrumentListApi.as_view(), name="instruments"),
    path("instruments/<slug:code>/", assessments_api.InstrumentDetailApi.as_view(), name="instrument"),
    path(
        "clients/<str:public_id>/assessments/",
        assessments_api.AssessmentListApi.as_view(),
        name="assessments",
    ),
    path(
        "clients/<str:public_id>/assessments/<int:assessment_id>/",
        assessments_api.AssessmentDetailApi.as_view(),
        name="assessment",
    ),
    path(
        "clients/<str:public_id>/assessments/<int:assessment_id>/complete/",
        assessments_api.AssessmentCompleteApi.as_view(),
        name="assessment_complete",
    ),
    path(
        "clients/<str:public_id>/assessments/<int:assessment_id>/amend/",
        assessments_api.AssessmentAmendApi.as_view(),
        name="assessment_amend",
    ),
    path(
        "clients/<str:public_id>/series/<slug:code>/",
        assessments_api.SeriesApi.as_view(),
        name="assessment_series",
    ),
    path("clients/<str:public_id>/notes/", notes_api.NoteListApi.as_view(), name="notes"),
    path("packs/export/", packs_api.PackExportApi.as_view(), name="pack_export"),
    path("packs/preview/", packs_api.PackPreviewApi.as_view(), name="pack_preview"),
    path("packs/apply/", packs_api.PackApplyApi.as_view(), name="pack_apply"),
    path("panels/", meetings_api.PanelListApi.as_view(), name="panels"),
    path("meetings/", meetings_api.MeetingListApi.as_view(), name="meetings"),
    path("meetings/<int:meeting_id>/", meetings_api.MeetingDetailApi.as_view(), name="meeting"),
    path("meetings/<int:meeting_id>/agenda/", meetings_api.AgendaApi.as_view(), name="meeting_agenda"),
    path(
        "meetings/<int:meeting_id>/current-item/",
        meetings_api.CurrentItemApi.as_view(),
        name="meeting_current_item",
    ),
    path(
        "meetings/<int:meeting_id>/invitations/",
        meetings_api.InvitationListApi.as_view(),
        name="meeting_invitations",
    ),
    path("meetings/<int:meeting_id>/answer/", meetings_api.AnswerApi.as_view(), name="meeting_answer"),
    path(
        "meetings/<int:meeting_id>/attendance/",
        meetings_api.AttendanceApi.as_view(),
        name="meeting_attendance",
    ),
    path("meetings/<int:meeting_id>/sign-off/", meetings_api.SignOffApi.as_view(), name="meeting_sign_off"),
    path(
        "meetings/<int:meeting_id>/items/<int:item_id>/minutes/",
        meetings_api.MinutesApi.as_view(),
        name="meeting_minutes",
    ),
    path(
        "meetings/<int:meeting_id>/items/<int:item_id>/decisions/",
        meetings_api.DecisionApi.as_view(),
        name="meeting_decisions",
    ),
    path(
        "meetings/<int:meeting_id>/items/<int:item_id>/close/",
        meetings_api.ItemCloseApi.as_view(),
        name="meeting_item_close",
    ),
    path(
        "meetings/<int:meeting_id>/items/<int:item_id>/reports/",
        meetings_api.ContributionApi.as_view(),
        name="meeting_reports",
    ),
    path(
        "meetings/<int:meeting_id>/items/<int:item_id>/pack-notes/",
        meetings_api.PackNoteListApi.as_view(),
        name="meeting_pack_notes",
    ),
    path(
        "meetings/<int:meeting_id>/items/<int:item_id>/pack-notes/<int:note_id>/",
        meetings_api.PackNoteApi.as_view(),
        name="meeting_pack_note",
    ),
    path("clients/<str:public_id>/notes/<int:note_id>/", notes_api.NoteDetailApi.as_view(), name="note"),
    path("reporting/dashboard/", reporting_api.DashboardApi.as_view(), name="reporting_dashboard"),
    path(
        "reporting/partnerships/<int:partnership_id>/dashboard/",
        reporting_api.PartnershipDashboardApi.as_view(),
        name="reporting_partnership_dashboard",
    ),
    path("imports/", importing_api.ImportListApi.as_view(), name="imports"),
    path("imports/<int:import_id>/", importing_api.ImportDetailApi.as_view(), name="import"),
    path("imports/<int:import_id>/start/", importing_api.ImportStartApi.as_view(), name="import_start"),
    path(
        "clients/<str:public_id>/subject-access-exports/",
        subject_access_api.ExportListApi.as_view(),
        name="subject_access_exports",
    ),
    path(
        "clients/<str:public_id>/subject-access-exports/<int:export_id>/",
        subject_access_api.ExportDetailApi.as_view(),
        name="subject_access_export",
    ),
    path(
        "clients/<str:public_id>/subject-access-exports/<int:export_id>/download/",
        subject_access_api.ExportDownloadApi.as_view(),
        name="subject_access_download",
    ),
]

# A client's record under /clients/, in one namespace ("circles:…"): the circle's pages, then sharing's
# (the client page, notes, the timeline). Put together here so that circles never imports sharing.
client_record = (
    overview_client_urls.urlpatterns[:1]  # My clients, at /clients/
    + circles_urls.urlpatterns
    + overview_client_urls.urlpatterns[1:]  # the client page, at /clients/<public_id>/
    + sharing_client_urls.urlpatterns,
    circles_urls.app_name,
)

# While the database cannot be reached, a 503 in plain words rather than a 500 (network.outage).
handler500 = "network.outage.server_error"
# A URL no route matches under /api/ (an id that is not a number, say) answers JSON, as the schema says;
# under /fhir/, a FHIR OperationOutcome.
handler404 = "alongside.views.not_found"

urlpatterns = [
    path("", home, name="home"),
    path("meetings/", include("conferences.urls")),
    path("", include("subject_access.urls")),  # /clients/<id>/subject-access/ and /subject-access/…
    path("clients/", include(client_record)),
    path("clients/<str:public_id>/plan/", include("sharing.urls")),
    path("clients/<str:public_id>/board/", include("board.urls")),
    path("clients/<str:public_id>/assessments/", include("assessments.urls")),
    path("my-actions/", plan_views.my_actions, name="my_actions"),
    path("portal/", include("portal.urls")),
    path("referrals/", include("referrals.urls")),
    path("reminders/", include("reminders.urls")),
    path("accounts/", include("allauth.urls")),
    path("api/v1/", include((api_v1, "api"))),
    path("fhir/", include("interop.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api_schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api_schema"), name="api_docs"),
    path("notifications/", realtime_views.notifications, name="notifications"),
    path("notifications/read/", realtime_views.notifications_read, name="notifications_read"),
    path("organisation/dashboard/", include("reporting.urls")),
    path("organisation/caseload/", circles_views.caseload, name="caseload"),
    path("organisation/instruments/", include("assessments.instrument_urls")),
    path("organisation/packs/", include("packs.urls")),
    path("organisation/imports/", include("importing.urls")),
    path("organisation/", include("network.organisation_urls")),
    path("security/api-tokens/", include("network.token_urls")),
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
]
