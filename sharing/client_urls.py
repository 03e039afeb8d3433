"""Sharing's pages of a client's record, under /clients/<public_id>/: the client page (it shows notes),
the notes and the timeline. alongside/urls.py serves them in the "circles" namespace with the circle's
own pages, so their names are "circles:client", "circles:note" and so on.
"""

from django.urls import path

from sharing.views import client as client_views
from sharing.views import notes as sharing_views
from sharing.views import timeline as timeline_views

urlpatterns = [
    path("<str:public_id>/", client_views.client_detail, name="client"),
    path("<str:public_id>/timeline/", timeline_views.timeline, name="timeline"),
    path("<str:public_id>/notes/new/", sharing_views.note_add, name="note_add"),
    path("<str:public_id>/notes/<int:note_id>/", sharing_views.note_detail, name="note"),
    path(
        "<str:public_id>/notes/<int:note_id>/visibility/",
        sharing_views.note_visibility,
        name="note_visibility",
    ),
]
