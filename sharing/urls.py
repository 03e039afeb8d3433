"""The plan's pages, under /clients/<public_id>/plan/."""

from django.urls import path

from sharing.views import plans as views
from sharing.views import templates as template_views

app_name = "plan"

urlpatterns = [
    path("", views.plan, name="plan"),
    path("goals/new/", views.goal_add, name="goal_add"),
    path("goals/<int:goal_id>/", views.goal_card, name="goal"),
    path("goals/<int:goal_id>/edit/", views.goal_edit, name="goal_edit"),
    path("goals/<int:goal_id>/addresses/", views.goal_address, name="goal_address"),
    path("goals/<int:goal_id>/actions/new/", views.action_add, name="action_add"),
    path("actions/<int:action_id>/edit/", views.action_edit, name="action_edit"),
    path("actions/<int:action_id>/status/", views.action_status, name="action_status"),
    path("<str:kind>/<int:item_id>/remove/", views.item_remove, name="item_remove"),
    path("<str:kind>/<int:item_id>/move/<str:direction>/", views.item_move, name="item_move"),
    path("<str:kind>/<int:item_id>/history/", views.item_history, name="item_history"),
    path("from-template/", template_views.plan_from_template, name="from_template"),
    path("agree/", views.plan_agree, name="agree"),
    path("agreed/<int:agreement_id>/", views.agreement_compare, name="agreement"),
]
