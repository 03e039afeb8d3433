"""The overview's pages of the record, served by alongside/urls.py in the "circles" namespace with the
circle's own pages, so their names stay "circles:my_clients" and "circles:client"."""

from django.urls import path

from overview import views

urlpatterns = [
    path("", views.my_clients, name="my_clients"),
    path("<str:public_id>/", views.client_detail, name="client"),
    path("<str:public_id>/now/", views.truth_panel, name="truth"),
]
