"""Sharing's pages of a client's record, under /clients/<public_id>/: the notes and the timeline.
alongside/urls.py serves them in the "circles" namespace with the circle's own pages, so their names are
"circles:note", "circles:timeline" and so on. (The client page itself is the overview's.)
"""

from django.urls import path

from sharing.views import notes as sharing_views
from sharing.views import timeline as timeline_views

urlpatterns = [
    path("<str:public_id>/timeline/", timeline_views.timeline, name="timeline"),
    path("<str:public_id>/notes/new/", sharing_views.note_add, name="note_add"),
    path("<str:public_id>/notes/<int:note_id>/", sharing_views.note_detail, name="note"),
    path(
        "<str:public_id>/notes/<int:note_id>/visibility/",
        sharing_views.note_visibility,
        name="note_visibility",
    ),
]
