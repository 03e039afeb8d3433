from django.urls import path

from network import views

app_name = "network"

urlpatterns = [
    path("", views.organisation_home, name="organisation"),
    path("people/", views.people, name="people"),
    path("people/new/", views.person_add, name="person_add"),
    path("people/<int:person_id>/", views.person_update, name="person_update"),
    path("teams/", views.team_add, name="team_add"),
    path("two-factor/", views.two_factor_requirement, name="two_factor_requirement"),
]
