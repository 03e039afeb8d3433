"""Moving clients in and out, under /organisation/imports/ (agency admins)."""

from django.urls import path

from importing import views

app_name = "importing"

urlpatterns = [
    path("", views.imports, name="imports"),
    path("clients.csv", views.export_csv, name="export"),
    path("<int:job_id>/", views.job, name="job"),
    path("<int:job_id>/progress/", views.job_progress, name="job_progress"),
    path("<int:job_id>/start/", views.job_start, name="job_start"),
]
