"""The instrument editor's pages, under /organisation/instruments/ (agency admins)."""

from django.urls import path

from assessments import editor_views as views

app_name = "instruments"

urlpatterns = [
    path("", views.instrument_list, name="list"),
    path("new/", views.instrument_edit, name="add"),
    path("import/", views.pack_import, name="import"),
    path("export/", views.pack_export, name="export"),
    path("<slug:code>/", views.instrument_edit, name="edit"),
]
