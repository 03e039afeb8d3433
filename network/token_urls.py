from django.urls import path

from network import token_views

app_name = "api_tokens"

urlpatterns = [
    path("", token_views.api_tokens, name="list"),
    path("<int:token_id>/revoke/", token_views.api_token_revoke, name="revoke"),
]
