"""The browsable API with the site's cookie login."""

from django.urls import reverse

ORDERS = "/api/orders/"


def test_the_browsable_api_uses_the_sites_login_and_logout(client, db):
    assert reverse("rest_framework:login") == reverse("login-page")
    assert reverse("rest_framework:logout") == reverse("logout-page")


def test_an_anonymous_visitor_sees_the_401_and_a_login_link(client, db):
    response = client.get(ORDERS, HTTP_ACCEPT="text/html")
    assert response.status_code == 401
    content = response.content.decode()
    assert "Authentication credentials were not provided" in content
    assert f"{reverse('login-page')}?next={ORDERS}" in content


def test_a_card_holder_sees_their_name_a_logout_form_and_the_hint(browser, user):
    response = browser.get(ORDERS, HTTP_ACCEPT="text/html")
    assert response.status_code == 200
    content = response.content.decode()
    assert f"<strong>{user.username}</strong>" in content
    assert f'action="{reverse("logout-page")}?next={ORDERS}"' in content
    assert "Raw data" in content
