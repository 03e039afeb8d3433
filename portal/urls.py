from django.urls import path

from portal import views

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("people/", views.people, name="people"),
    path("shared/", views.shared, name="shared"),
    path("board/", views.board, name="board"),
    path("board/cards/", views.card_add, name="card_add"),
    path("board/scale/", views.scale_add, name="scale_add"),
    path("how-am-i-doing/", views.ratings, name="ratings"),
    path("how-am-i-doing/<int:request_id>/", views.rate, name="rate"),
    path("meetings/", views.meetings, name="meetings"),
    path("meetings/<int:item_id>/say/", views.meeting_say, name="meeting_say"),
    path("actions/<int:action_id>/done/", views.action_done, name="action_done"),
    path("goals/<int:goal_id>/my-words/", views.comment_add, name="comment_add"),
    path("invitation/<str:token>/", views.accept, name="accept"),
    path("invite/<str:public_id>/", views.invite, name="invite"),
    path("invite/<str:public_id>/<int:invitation_id>/revoke/", views.invite_revoke, name="invite_revoke"),
]
