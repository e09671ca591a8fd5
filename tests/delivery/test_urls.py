"""The home page: the restaurant analogy as a picture, and the flow from login on."""

from django.urls import reverse


def test_home_page_explains_the_analogy(client, db):
    response = client.get(reverse("home"))
    assert response.status_code == 200
    content = response.content.decode()
    assert "The waiter" in content
    assert "front desk" in content


def test_home_page_draws_client_waiter_and_kitchen_with_the_id_card(client, db):
    content = client.get(reverse("home")).content.decode()
    assert 'class="diagram"' in content
    for station in ("station-client", "station-waiter", "station-kitchen"):
        assert station in content
    assert 'class="id-card"' in content
    assert "The front desk" in content


def test_home_page_tells_the_flow_from_login_to_renewal(client, db):
    content = client.get(reverse("home")).content.decode()
    for step in ("Log in.", "Get the card.", "Order.", "The waiter checks.", "Renew."):
        assert step in content
