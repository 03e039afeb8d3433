"""Assessments' pages of a client's record, under /clients/<public_id>/assessments/."""

from django.urls import path

from assessments import views

app_name = "assessments"

urlpatterns = [
    path("", views.summary, name="summary"),
    path("new/", views.start, name="start"),
    path("ask/", views.ask, name="ask"),
    path("<int:assessment_id>/", views.detail, name="detail"),
    path("<int:assessment_id>/edit/", views.edit, name="edit"),
    path("<int:assessment_id>/draft/", views.draft_save, name="draft"),
    path("<int:assessment_id>/discard/", views.discard, name="discard"),
    path("<int:assessment_id>/amend/", views.amend, name="amend"),
    path("instruments/<slug:code>/", views.instrument_chart, name="chart"),
]
