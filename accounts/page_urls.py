"""Routes of the front desk's pages."""

from django.urls import path

from accounts import pages

urlpatterns = [
    path("login/", pages.login, name="login-page"),
    path("register/", pages.register, name="register-page"),
    # The refresh cookie goes to these addresses, and to no other.
    path("account/", pages.account, name="account-page"),
    path("account/logins/<int:pk>/end/", pages.end_login, name="end-login-page"),
    path(
        "account/logout-everywhere/",
        pages.log_out_everywhere,
        name="logout-everywhere-page",
    ),
    path("account/password/", pages.change_password, name="password-page"),
    path("account/renew/", pages.renew, name="renew-page"),
    path("account/logout/", pages.logout, name="logout-page"),
]

# The browsable API links to 'rest_framework:login' and 'rest_framework:logout';
# these names lead it to the same cookie login as the rest of the site.
browsable_api_urls = (
    [
        path("login/", pages.login, name="login"),
        path("account/logout/", pages.logout, name="logout"),
    ],
    "rest_framework",
)
