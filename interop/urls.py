"""FHIR, under /fhir/ (wired in alongside/urls.py). Paths are FHIR's own: no trailing slash."""

from django.urls import path

from interop import views

app_name = "fhir"

urlpatterns = [
    path("metadata", views.Metadata.as_view(), name="metadata"),
    path("Patient/<str:public_id>", views.PatientRead.as_view(), name="patient"),
    path("Patient/<str:public_id>/$everything", views.PatientEverything.as_view(), name="everything"),
]
