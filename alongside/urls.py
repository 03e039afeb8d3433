from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from alongside.views import home
from circles import api as circles_api
from circles import urls as circles_urls
from circles import views as circles_views
from conferences import api as meetings_api
from network.health import healthz
from realtime import views as realtime_views
from sharing import client_urls as sharing_client_urls
from sharing.api import notes as notes_api
from sharing.api import plans as plans_api
from sharing.views import plans as plan_views

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
    path("clients/<str:public_id>/plan/agreements/", plans_api.AgreementListApi.as_view(), name="agreements"),
    path(
        "clients/<str:public_id>/plan/agreements/<int:agreement_id>/",
        plans_api.AgreementDetailApi.as_view(),
        name="agreement",
    ),
    path("my-actions/", plans_api.MyActionsApi.as_view(), name="my_actions"),
    path("clients/<str:public_id>/notes/", notes_api.NoteListApi.as_view(), name="notes"),
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
    path("clients/<str:public_id>/notes/<int:note_id>/", notes_api.NoteDetailApi.as_view(), name="note"),
]

# A client's record under /clients/, in one namespace ("circles:…"): the circle's pages, then sharing's
# (the client page, notes, the timeline). Put together here so that circles never imports sharing.
client_record = (circles_urls.urlpatterns + sharing_client_urls.urlpatterns, circles_urls.app_name)

# While the database cannot be reached, a 503 in plain words rather than a 500 (network.outage).
handler500 = "network.outage.server_error"

urlpatterns = [
    path("", home, name="home"),
    path("meetings/", include("conferences.urls")),
    path("clients/", include(client_record)),
    path("clients/<str:public_id>/plan/", include("sharing.urls")),
    path("my-actions/", plan_views.my_actions, name="my_actions"),
    path("portal/", include("portal.urls")),
    path("accounts/", include("allauth.urls")),
    path("api/v1/", include((api_v1, "api"))),
    path("api/schema/", SpectacularAPIView.as_view(), name="api_schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api_schema"), name="api_docs"),
    path("notifications/", realtime_views.notifications, name="notifications"),
    path("notifications/read/", realtime_views.notifications_read, name="notifications_read"),
    path("organisation/caseload/", circles_views.caseload, name="caseload"),
    path("organisation/", include("network.organisation_urls")),
    path("security/api-tokens/", include("network.token_urls")),
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
]
