"""Configuration packs, under /organisation/packs/ (agency admins)."""

from django.urls import path

from packs import views

app_name = "packs"

urlpatterns = [
    path("", views.home, name="home"),
    path("export/", views.export, name="export"),
    path("import/", views.bring_in, name="import"),
]
