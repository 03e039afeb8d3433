from django.urls import path

from subject_access import views

app_name = "subject_access"

urlpatterns = [
    path("subject-access/", views.exports, name="exports"),
    path("subject-access/<int:export_id>/", views.export, name="export"),
    path("subject-access/<int:export_id>/progress/", views.progress, name="progress"),
    path("subject-access/<int:export_id>/download/", views.download, name="download"),
    path("clients/<str:public_id>/subject-access/", views.client, name="client"),
    path("clients/<str:public_id>/subject-access/start/", views.start, name="start"),
]
