"""The board's pages, under /clients/<public_id>/board/."""

from django.urls import path

from board import views

app_name = "board"

urlpatterns = [
    path("", views.board, name="board"),
    path("cards/new/", views.card_add, name="card_add"),
    path("cards/<int:card_id>/", views.card, name="card"),
    path("cards/<int:card_id>/edit/", views.card_edit, name="card_edit"),
    path("cards/<int:card_id>/move/", views.card_move, name="card_move"),
    path("cards/<int:card_id>/close/", views.card_close, name="card_close"),
    path("cards/<int:card_id>/to-plan/", views.card_to_plan, name="card_to_plan"),
    path("cards/<int:card_id>/link/", views.card_link, name="card_link"),
    path("cards/<int:card_id>/history/", views.card_history, name="card_history"),
    path("scales/", views.scale_add, name="scale_add"),
    path("scales/panel/", views.scales_panel, name="scales"),
]
