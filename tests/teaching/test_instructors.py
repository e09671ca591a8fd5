"""Instructors (staff) are named as such on every page, and find their tools."""

import re

import pytest
from django.urls import reverse

from tests.conftest import log_in
from tests.factories import KitchenUserFactory, UserFactory

pytestmark = pytest.mark.django_db

RESTAURANTS = reverse("restaurant-list-page")
RAIL = reverse("ticket-rail-page")
ADMIN = reverse("admin:index")


def nav_badges(client) -> tuple[list[str], str]:
    """The badges beside the name in the navigation, and the page."""
    page = client.get(RESTAURANTS).content.decode()
    user = page.split('class="nav-user"', 1)[1].split("</li>", 1)[0]
    badges = re.findall(r'class="nav-role"[^>]*>([^<]*)</span>', user)
    return badges, page


def test_a_superuser_is_staff_not_customer_in_the_navigation(client):
    log_in(client, UserFactory(username="admin", is_staff=True, is_superuser=True))
    badges, page = nav_badges(client)
    assert badges == ["staff"]
    assert f'href="{RAIL}"' in page
    assert f'href="{ADMIN}"' in page


def test_a_customer_is_a_customer_without_staff_links(client):
    log_in(client, UserFactory())
    badges, page = nav_badges(client)
    assert badges == ["customer"]
    assert f'href="{RAIL}"' not in page
    assert f'href="{ADMIN}"' not in page


def test_a_cook_who_is_staff_shows_both(client):
    log_in(client, KitchenUserFactory(is_staff=True))
    badges, _ = nav_badges(client)
    assert badges == ["kitchen", "staff"]


def test_staff_status_comes_from_the_database_not_the_card(client):
    admin = UserFactory(is_staff=True)
    log_in(client, admin)
    admin.is_staff = False
    admin.save()
    badges, page = nav_badges(client)
    assert badges == ["customer"]
    assert f'href="{RAIL}"' not in page


def test_the_staff_lookup_is_one_query_only_for_signed_in_pages(
    client, django_assert_num_queries
):
    with django_assert_num_queries(0):
        client.get(reverse("home"))
    log_in(client, UserFactory(is_staff=True))
    with django_assert_num_queries(1):
        client.get(reverse("home"))
