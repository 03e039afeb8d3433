from django.urls import path

from conferences import views

app_name = "conferences"

urlpatterns = [
    path("", views.my_meetings, name="my_meetings"),
    path("new/", views.meeting_new, name="meeting_new"),
    path("<int:meeting_id>/", views.meeting, name="meeting"),
    path("<int:meeting_id>/agenda/add/", views.agenda_add, name="agenda_add"),
    path("for/<str:public_id>/", views.agenda_for_client, name="agenda_for_client"),
    path("<int:meeting_id>/open/", views.meeting_open, name="open"),
    path("<int:meeting_id>/end/", views.meeting_end, name="end"),
    path("<int:meeting_id>/answer/", views.answer, name="answer"),
    path("<int:meeting_id>/attendance/", views.attendance, name="attendance"),
    path("<int:meeting_id>/minutes/", views.minutes, name="minutes"),
    path("<int:meeting_id>/sign-off/", views.sign_off, name="sign_off"),
    path("<int:meeting_id>/family-summary/", views.family_summary, name="family_summary"),
    path("<int:meeting_id>/items/<int:item_id>/", views.item_panel, name="item"),
    path("<int:meeting_id>/items/<int:item_id>/move/", views.item_move, name="item_move"),
    path("<int:meeting_id>/items/<int:item_id>/minutes/", views.minutes_edit, name="minutes_edit"),
    path("<int:meeting_id>/items/<int:item_id>/decisions/", views.decision_add, name="decision_add"),
    path("<int:meeting_id>/items/<int:item_id>/close/", views.item_close, name="item_close"),
    path("<int:meeting_id>/items/<int:item_id>/pack/", views.pack, name="pack"),
    path("<int:meeting_id>/items/<int:item_id>/pack/notes/", views.pack_notes, name="pack_notes"),
    path("<int:meeting_id>/items/<int:item_id>/contribute/", views.contribute, name="contribute"),
    path("<int:meeting_id>/items/<int:item_id>/amend/", views.amend, name="amend"),
]
