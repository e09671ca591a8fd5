"""Routes of the front desk's pages and of the token inspector."""

from django.urls import path

from accounts import pages

urlpatterns = [
    path("login/", pages.login, name="login-page"),
    path("logout/", pages.logout, name="logout-page"),
    path("register/", pages.register, name="register-page"),
    path("jwt/", pages.token_inspector, name="jwt-page"),
    path("jwt/mine/", pages.my_token, name="jwt-mine"),
    path("ticket-rail/", pages.ticket_rail_page, name="ticket-rail-page"),
    path("ticket-rail/feed/", pages.ticket_rail_feed, name="ticket-rail-feed"),
]

# The browsable API links to 'rest_framework:login' and 'rest_framework:logout';
# these names lead it to the same cookie login as the rest of the site.
browsable_api_urls = (
    [
        path("login/", pages.login, name="login"),
        path("logout/", pages.logout, name="logout"),
    ],
    "rest_framework",
)
