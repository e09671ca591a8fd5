"""Routes of the labs, under /lab/ and only while the labs are enabled."""

from django.urls import path, register_converter

from lab import pages, views
from lab.models import Lab


class LabConverter:
    """A lab's address: one of the labs, nothing else."""

    regex = "|".join(lab.value for lab in Lab)

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return str(value)


class UsernameConverter(LabConverter):
    """An attendee's username, as Django's username validator allows it.

    Anything else (a NUL byte, say, which PostgreSQL cannot even compare) cannot
    name an owner, and is a 404 before any query.
    """

    regex = r"[\w.@+-]{1,150}"


register_converter(LabConverter, "lab")
register_converter(UsernameConverter, "username")

urlpatterns = [
    path("", pages.index, name="lab-index"),
    path("progress/", views.ProgressView.as_view(), name="lab-progress"),
    path("room/", pages.room, name="lab-room"),
    path("room/feed/", pages.room_feed, name="lab-room-feed"),
    path("jku/keys/", views.KeySetView.as_view(), name="lab-key-set"),
    path("jku/jwks.json", views.PublishedKeySetView.as_view(), name="lab-jwks"),
    path(
        "jku/<username:owner>/jwks.json",
        views.PublishedKeySetView.as_view(),
        name="lab-published-jwks",
    ),
    path("algorithm-confusion/public.pem", pages.public_pem, name="lab-public-pem"),
    path("stolen-from-storage/chef/", pages.chef_page, name="lab-chef"),
    path("stolen-from-storage/review/", views.ReviewView.as_view(), name="lab-review"),
    path("stolen-from-storage/drop/", pages.drop_box, name="lab-drop-box"),
    path("stolen-from-storage/loot/", views.LootView.as_view(), name="lab-loot"),
    path("<lab:lab>/", pages.lab_page, name="lab-page"),
    path("<lab:lab>/card/", views.CardView.as_view(), name="lab-card"),
    path("<lab:lab>/orders/", views.BrokenWaiterView.as_view(), name="lab-orders"),
]
