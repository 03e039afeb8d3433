from django.urls import path

from reporting import views

app_name = "reporting"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("tables/<slug:table>.csv", views.dashboard_csv, name="dashboard_csv"),
    path("partnerships/", views.partnerships, name="partnerships"),
    path("partnerships/<int:partnership_id>/", views.partnership, name="partnership"),
    path(
        "partnerships/<int:partnership_id>/tables/<slug:table>.csv",
        views.partnership_csv,
        name="partnership_csv",
    ),
]
