from django.urls import path

from realtime.consumers import ClientRecordConsumer, PersonalConsumer

websocket_urlpatterns = [
    path("ws/clients/<str:public_id>/", ClientRecordConsumer.as_asgi()),
    path("ws/me/", PersonalConsumer.as_asgi()),
]
