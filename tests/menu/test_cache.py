"""The cached public menu: validators, 304s, no queries when warm, never stale."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse
from django.utils.http import http_date, parse_http_date
from drf_spectacular.generators import SchemaGenerator

from menu import cache as menu_cache
from menu.models import MenuItem, Restaurant
from menu.views import MenuItemViewSet, RestaurantViewSet
from tests.factories import RestaurantFactory, build_menu

RESTAURANTS = reverse("restaurant-list")
ITEMS = reverse("menu-item-list")
MENU = reverse("restaurant-detail", args=["marios-pizzeria"])


def dish_names(response):
    return [
        dish["name"]
        for category in response.json()["categories"]
        for dish in category["items"]
    ]


def admin_form_data(response) -> dict:
    """The values an admin change page shows, ready to be posted back."""
    forms = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        forms += [inline.formset.management_form, *inline.formset.forms]
    data = {}
    for form in forms:
        for name in form.fields:
            value = form[name].value()
            if value is not None:
                data[form.add_prefix(name)] = value
    return data


# --- validators and 304s --------------------------------------------------------------


def test_menu_answers_carry_validators_and_may_be_kept_by_shared_caches(
    api_client, pizzeria
):
    response = api_client.get(MENU)
    assert response.status_code == 200
    assert response["ETag"].startswith('"')
    assert parse_http_date(response["Last-Modified"])
    directives = {part.strip() for part in response["Cache-Control"].split(",")}
    assert directives == {"public", f"max-age={menu_cache.SHARED_MAX_AGE}"}
    assert "Accept" in response["Vary"]


@pytest.mark.parametrize("url", [MENU, RESTAURANTS, ITEMS])
def test_a_matching_if_none_match_gets_a_bodiless_304(api_client, pizzeria, url):
    etag = api_client.get(url)["ETag"]
    response = api_client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 304
    assert response.content == b""
    assert response["ETag"] == etag
    assert "public" in response["Cache-Control"]


def test_another_etag_gets_the_full_menu(api_client, pizzeria):
    response = api_client.get(MENU, HTTP_IF_NONE_MATCH='"something-else"')
    assert response.status_code == 200
    assert "Margherita Pizza" in dish_names(response)


def test_if_modified_since_gets_a_304_once_the_date_is_current(api_client, pizzeria):
    api_client.get(MENU)
    with time_machine.travel(datetime.now(tz=UTC) + timedelta(seconds=5)):
        last_modified = api_client.get(MENU)["Last-Modified"]
        current = api_client.get(MENU, HTTP_IF_MODIFIED_SINCE=last_modified)
        older = http_date(parse_http_date(last_modified) - 60)
        stale = api_client.get(MENU, HTTP_IF_MODIFIED_SINCE=older)
    assert current.status_code == 304
    assert stale.status_code == 200


def test_last_modified_is_never_ahead_of_the_clock(api_client, pizzeria):
    with time_machine.travel(datetime(2030, 1, 1, 12, tzinfo=UTC), tick=False):
        response = api_client.get(MENU)
    assert (
        parse_http_date(response["Last-Modified"])
        <= datetime(2030, 1, 1, 12, tzinfo=UTC).timestamp()
    )


def test_an_edit_within_the_same_second_is_not_hidden_by_if_modified_since(
    api_client, pizzeria
):
    with time_machine.travel(datetime(2030, 1, 1, 12, tzinfo=UTC), tick=False):
        before = api_client.get(MENU)
        MenuItem.objects.filter(name="Tiramisu").get().delete()
        after = api_client.get(MENU, HTTP_IF_MODIFIED_SINCE=before["Last-Modified"])
    assert after.status_code == 200
    assert "Tiramisu" not in dish_names(after)


# --- the server-side cache ------------------------------------------------------------


def test_a_warm_menu_is_served_without_a_query(
    api_client, pizzeria, django_assert_num_queries
):
    dish = pizzeria.items.first()
    urls = [MENU, RESTAURANTS, ITEMS, reverse("menu-item-detail", args=[dish.pk])]
    for url in urls:
        api_client.get(url)
    for url in urls:
        with django_assert_num_queries(0):
            assert api_client.get(url).status_code == 200


def test_the_cached_answer_is_byte_for_byte_the_uncached_one(api_client, pizzeria):
    cold = api_client.get(MENU)
    warm = api_client.get(MENU)
    assert warm.content == cold.content
    assert dict(warm.headers) == dict(cold.headers)


def test_each_host_gets_its_own_absolute_links(api_client, db):
    RestaurantFactory.create_batch(25)
    local = api_client.get(RESTAURANTS, HTTP_HOST="localhost").json()
    loopback = api_client.get(RESTAURANTS, HTTP_HOST="127.0.0.1").json()
    assert local["next"].startswith("http://localhost/")
    assert loopback["next"].startswith("http://127.0.0.1/")


# --- what makes a new entry, and what does not ----------------------------------------


def test_unknown_query_parameters_are_answered_but_never_kept(
    api_client, pizzeria, django_assert_max_num_queries
):
    plain = api_client.get(ITEMS).json()
    for _ in range(2):
        with django_assert_max_num_queries(10) as captured:
            response = api_client.get(ITEMS, {"utm_source": "newsletter"})
        assert response.status_code == 200
        assert len(captured) > 0
        assert "ETag" not in response
    assert response.json() == plain


def test_a_parameter_given_twice_is_answered_but_never_kept(
    api_client, pizzeria, django_assert_max_num_queries
):
    url = f"{ITEMS}?search=pizza&search=tiramisu"
    for _ in range(2):
        with django_assert_max_num_queries(10) as captured:
            response = api_client.get(url)
        assert len(captured) > 0
    assert [dish["name"] for dish in response.json()["results"]] == ["Tiramisu"]


def test_parameters_in_another_order_share_one_answer(
    api_client, pizzeria, django_assert_num_queries
):
    api_client.get(f"{ITEMS}?search=pizza&vegetarian=true")
    with django_assert_num_queries(0):
        response = api_client.get(f"{ITEMS}?vegetarian=true&search=pizza")
    assert [dish["name"] for dish in response.json()["results"]] == ["Margherita Pizza"]


def test_each_value_of_a_filter_has_its_own_answer(api_client, pizzeria):
    vegetarian = api_client.get(ITEMS, {"vegetarian": "true"}).json()
    meaty = api_client.get(ITEMS, {"vegetarian": "false"}).json()
    assert {dish["name"] for dish in vegetarian["results"]} == {
        "Margherita Pizza",
        "Tiramisu",
    }
    assert [dish["name"] for dish in meaty["results"]] == ["Calzone"]


def test_the_accept_header_makes_no_new_entry_beyond_the_representation(
    api_client, pizzeria, django_assert_num_queries
):
    api_client.get(MENU, HTTP_ACCEPT="application/json")
    for accept in ("*/*", "application/json; q=0.9", "application/json; x=1"):
        with django_assert_num_queries(0):
            assert api_client.get(MENU, HTTP_ACCEPT=accept).status_code == 200
    indented = api_client.get(MENU, HTTP_ACCEPT="application/json; indent=2")
    assert indented.content.startswith(b"{\n  ")


@pytest.mark.parametrize(
    ("view", "path"),
    [
        (RestaurantViewSet, "/api/restaurants/"),
        (MenuItemViewSet, "/api/menu-items/"),
    ],
)
def test_answers_are_keyed_on_exactly_the_parameters_the_schema_documents(view, path):
    schema = SchemaGenerator().get_schema(request=None, public=True)
    documented = {
        parameter["name"]
        for parameter in schema["paths"][path]["get"]["parameters"]
        if parameter["in"] == "query"
    }
    assert set(view.cached_parameters) == documented


def test_with_redis_down_the_menu_is_served_from_the_database(
    api_client, pizzeria, redis_down
):
    for url in (MENU, RESTAURANTS, ITEMS):
        response = api_client.get(url)
        assert response.status_code == 200
    assert "Margherita Pizza" in dish_names(api_client.get(MENU))


def test_the_browsable_api_is_not_cached(
    api_client, pizzeria, django_assert_max_num_queries
):
    api_client.get(MENU, {"format": "api"})
    with django_assert_max_num_queries(10) as captured:
        response = api_client.get(MENU, {"format": "api"})
    assert response.status_code == 200
    assert len(captured) > 0
    assert "ETag" not in response


def test_a_404_is_not_kept_once_the_restaurant_exists(api_client, db):
    url = reverse("restaurant-detail", args=["newcomer"])
    assert api_client.get(url).status_code == 404
    RestaurantFactory(slug="newcomer")
    assert api_client.get(url).status_code == 200


def test_an_edit_moves_the_version_again_when_its_transaction_commits(
    pizzeria, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        pizzeria.save()
        during = menu_cache.current_version()
    assert callbacks
    assert menu_cache.current_version() != during


def test_an_answer_rendered_from_an_older_version_is_never_served(rf, pizzeria):
    request = rf.get(MENU)
    old = menu_cache.current_version()
    key = menu_cache.answer_key(request, representation="json")
    # A reader that read the rows before an edit may store its answer after it.
    menu_cache.bump_version()
    stale = menu_cache.CachedAnswer(
        version=old.token,
        body=b"{}",
        content_type="application/json",
        etag='"stale"',
        headers=(),
    )
    menu_cache.answers().set(key, stale)
    assert menu_cache.lookup(key)[1] is None


def test_every_edit_makes_a_new_version_dated_after_what_clients_were_given(db):
    now = datetime(2030, 1, 1, 12, tzinfo=UTC)
    with time_machine.travel(now, tick=False):
        versions = [menu_cache.current_version()]
        for _ in range(50):
            menu_cache.bump_version()
            versions.append(menu_cache.current_version())
    assert len({version.token for version in versions}) == len(versions)
    # Clients were given dates up to `now`; a burst does not run ahead of the clock.
    assert {version.changed_at for version in versions} == {now.timestamp() + 1}


# --- never stale after an edit in the Django admin ----------------------------------


@pytest.fixture
def warm_menu(api_client, pizzeria):
    """The menu read once, so that the next read would come from the cache."""
    api_client.get(MENU)
    api_client.get(ITEMS)
    return pizzeria


def test_a_dish_edited_in_the_admin_shows_at_the_next_read(
    admin_client, api_client, warm_menu
):
    dish = MenuItem.objects.get(name="Margherita Pizza")
    url = reverse("admin:menu_menuitem_change", args=[dish.pk])
    data = admin_form_data(admin_client.get(url))
    data.update(name="Margherita Speciale", price="12.75")
    assert admin_client.post(url, data).status_code == 302

    names = dish_names(api_client.get(MENU))
    assert "Margherita Speciale" in names
    assert "Margherita Pizza" not in names
    item = api_client.get(reverse("menu-item-detail", args=[dish.pk])).json()
    assert item["price"] == "12.75"


def test_a_price_changed_in_the_admin_list_shows_at_the_next_read(
    admin_client, api_client, warm_menu
):
    changelist = reverse("admin:menu_menuitem_changelist")
    formset = admin_client.get(changelist).context["cl"].formset
    data = {"_save": "Save"}
    for form in [formset.management_form, *formset.forms]:
        for name in form.fields:
            value = form[name].value()
            if value is not None:
                data[form.add_prefix(name)] = value
    dish = MenuItem.objects.get(name="Tiramisu")
    index = next(i for i, form in enumerate(formset.forms) if form.instance == dish)
    data[f"form-{index}-price"] = "4.20"
    assert admin_client.post(changelist, data).status_code == 302

    dishes = {row["name"]: row for row in api_client.get(ITEMS).json()["results"]}
    assert dishes["Tiramisu"]["price"] == "4.20"


def test_a_dish_added_in_the_admin_shows_at_the_next_read(
    admin_client, api_client, warm_menu
):
    pizzas = warm_menu.categories.get(name="Pizzas")
    response = admin_client.post(
        reverse("admin:menu_menuitem_add"),
        {
            "restaurant": warm_menu.pk,
            "category": pizzas.pk,
            "name": "Quattro Formaggi",
            "description": "Four cheeses.",
            "price": "13.50",
            "vegetarian": "on",
            "available": "on",
        },
    )
    assert response.status_code == 302
    assert "Quattro Formaggi" in dish_names(api_client.get(MENU))


def test_a_dish_deleted_in_the_admin_is_gone_at_the_next_read(
    admin_client, api_client, warm_menu
):
    dish = MenuItem.objects.get(name="Tiramisu")
    url = reverse("admin:menu_menuitem_delete", args=[dish.pk])
    assert admin_client.post(url, {"post": "yes"}).status_code == 302

    assert "Tiramisu" not in dish_names(api_client.get(MENU))
    detail = api_client.get(reverse("menu-item-detail", args=[dish.pk]))
    assert detail.status_code == 404


def test_dishes_deleted_by_the_admin_action_are_gone_at_the_next_read(
    admin_client, api_client, warm_menu
):
    doomed = list(MenuItem.objects.filter(name__in=["Calzone", "Tiramisu"]))
    response = admin_client.post(
        reverse("admin:menu_menuitem_changelist"),
        {
            "action": "delete_selected",
            "_selected_action": [dish.pk for dish in doomed],
            "post": "yes",
        },
    )
    assert response.status_code == 302
    assert dish_names(api_client.get(MENU)) == ["Margherita Pizza"]


def test_a_restaurant_edited_in_the_admin_shows_at_the_next_read(
    admin_client, api_client, warm_menu
):
    url = reverse("admin:menu_restaurant_change", args=[warm_menu.pk])
    data = admin_form_data(admin_client.get(url))
    data.update(name="Mario's Trattoria", delivery_fee="3.90")
    assert admin_client.post(url, data).status_code == 302

    menu = api_client.get(MENU).json()
    assert menu["name"] == "Mario's Trattoria"
    assert menu["delivery_fee"] == "3.90"
    listed = api_client.get(RESTAURANTS).json()["results"]
    assert [row["name"] for row in listed] == ["Mario's Trattoria"]
    assert Restaurant.objects.get().delivery_fee == Decimal("3.90")


def test_a_category_renamed_in_the_admin_shows_at_the_next_read(
    admin_client, api_client, warm_menu
):
    category = warm_menu.categories.get(name="Desserts")
    url = reverse("admin:menu_category_change", args=[category.pk])
    data = admin_form_data(admin_client.get(url))
    data["name"] = "Dolci"
    assert admin_client.post(url, data).status_code == 302

    categories = [c["name"] for c in api_client.get(MENU).json()["categories"]]
    assert categories == ["Pizzas", "Dolci"]


def test_a_warm_cache_of_a_bigger_menu_still_costs_no_query(
    api_client, db, django_assert_num_queries
):
    restaurant = build_menu(restaurants=3, categories=4, dishes=5)[0]
    url = reverse("restaurant-detail", args=[restaurant.slug])
    api_client.get(url)
    with django_assert_num_queries(0):
        assert api_client.get(url).status_code == 200
