from django.urls import path

from referrals import views

app_name = "referrals"

urlpatterns = [
    path("", views.referral_list, name="list"),
    path("inbox/people/", views.inbox_people, name="inbox_people"),
    path("new/<str:public_id>/", views.referral_new, name="new"),
    path("client/<str:public_id>/", views.client_summary, name="client_summary"),
    path("<int:referral_id>/", views.referral_detail, name="referral"),
    path("<int:referral_id>/<str:step>/", views.referral_step, name="step"),
    path("handovers/new/<str:public_id>/", views.handover_new, name="handover_new"),
    path("handovers/<int:handover_id>/", views.handover_detail, name="handover"),
    path("handovers/<int:handover_id>/<str:decision>/", views.handover_decide, name="handover_decide"),
    path("leads-needed/", views.leads_needed, name="leads_needed"),
]
