from django.urls import path

from realtime.consumers import ClientRecordConsumer

websocket_urlpatterns = [
    path("ws/clients/<str:public_id>/", ClientRecordConsumer.as_asgi()),
]
