"""Routes of the teaching pages: the token inspector, the ticket rail, the workshop."""

from django.urls import path

from teaching import cards, pages, workshop

urlpatterns = [
    path("jwt/", pages.token_inspector, name="jwt-page"),
    path("jwt/mine/", pages.my_token, name="jwt-mine"),
    path("ticket-rail/", pages.ticket_rail_page, name="ticket-rail-page"),
    path("ticket-rail/feed/", pages.ticket_rail_feed, name="ticket-rail-feed"),
    path("workshop/", workshop.workshop, name="workshop-page"),
    path("workshop/cards/", cards.room_cards, name="workshop-cards-page"),
    path("workshop/selfcheck.py", workshop.selfcheck_script, name="workshop-selfcheck"),
]
