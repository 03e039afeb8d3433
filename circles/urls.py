"""The circle's pages under /clients/. alongside/urls.py adds the overview's (My clients, the client page)
and sharing's pages of the record (notes, the timeline) to the same "circles" namespace, so circles never
imports the apps above it.
"""

from django.urls import path

from circles import views

app_name = "circles"

urlpatterns = [
    path("search/", views.search, name="search"),
    path("new/", views.client_add, name="client_add"),
    path("<str:public_id>/circle/", views.circle_panel, name="circle_panel"),
    path("<str:public_id>/circle/add/", views.member_add, name="member_add"),
    path("<str:public_id>/circle/<int:member_id>/remove/", views.member_remove, name="member_remove"),
    path("<str:public_id>/circle/<int:member_id>/hide/", views.member_hide, name="member_hide"),
    path(
        "<str:public_id>/circle/<int:member_id>/make-lead/", views.member_make_lead, name="member_make_lead"
    ),
    path("<str:public_id>/join/", views.join_request_new, name="join_request_new"),
    path("<str:public_id>/join-requests/", views.join_requests_panel, name="join_requests_panel"),
    path(
        "<str:public_id>/join-requests/<int:request_id>/<str:decision>/",
        views.join_request_decide,
        name="join_request_decide",
    ),
    path("<str:public_id>/consent/new/", views.consent_new, name="consent_new"),
    path(
        "<str:public_id>/consent/<int:consent_id>/withdraw/", views.consent_withdraw, name="consent_withdraw"
    ),
    path("<str:public_id>/stage/", views.stage_panel, name="stage_panel"),
    path("<str:public_id>/stage/change/", views.stage_change, name="stage_change"),
    path("<str:public_id>/stage/reopen/", views.reopen, name="reopen"),
    path("<str:public_id>/emergency/", views.emergency_access, name="emergency_access"),
    path("<str:public_id>/audit.csv", views.audit_export, name="audit_export"),
]
