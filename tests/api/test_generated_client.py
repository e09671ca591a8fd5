"""A Python client generated from the live schema, used alone from register to logout.

``openapi-python-client`` (pinned in requirements-dev.txt) reads ``/api/schema/`` as
a live server serves it, without any network (the generator runs in a network
namespace of its own, so it cannot fetch a tool or a template), and with warnings
treated as failures. Every module it writes must import, and the client alone must
take a new customer from registering to logging out.
"""

import importlib
import io
import json
import pkgutil
import shutil
import subprocess
import sys
import urllib.request
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path
from types import ModuleType

import pytest
from django.core.management import call_command
from openapi_spec_validator import validate

from orders.models import Order

pytestmark = pytest.mark.slow

PACKAGE = "delivery_client"
GENERATOR = Path(sys.executable).with_name("openapi-python-client")
# The formatter the generator runs on its output: the project's own ruff, by path
# (the generator would look for one on PATH, or do without).
RUFF = Path(sys.executable).with_name("ruff")


def without_network(command: list[str]) -> list[str]:
    """``command`` in a new network namespace, where only a down loopback exists."""
    unshare = shutil.which("unshare")
    probe = [unshare, "--user", "--map-root-user", "--net", "true"] if unshare else []
    if not unshare or subprocess.run(probe, check=False).returncode != 0:
        pytest.fail(
            "unshare (util-linux) cannot make a network namespace here; the test "
            "proves that client generation needs no network by running it in one"
        )
    return [unshare, "--user", "--map-root-user", "--net", *command]


@pytest.fixture
def live_schema(transactional_db, live_server) -> dict:
    """The demo data, and the schema exactly as the live server serves it."""
    call_command("seed_demo", force=True, stdout=io.StringIO())
    request = urllib.request.Request(  # noqa: S310 - the test's own live server
        f"{live_server.url}/api/schema/",
        headers={"Accept": "application/vnd.oai.openapi+json"},
    )
    with urllib.request.urlopen(request, timeout=30) as answer:  # noqa: S310
        return json.load(answer)


@pytest.fixture
def client_package(live_schema, tmp_path) -> Iterator[ModuleType]:
    """Generate the client offline, import every module of it, yield the package."""
    schema = tmp_path / "schema.json"
    schema.write_text(json.dumps(live_schema))
    config = tmp_path / "config.json"
    config.write_text(
        json.dumps(
            {
                "package_name_override": PACKAGE,
                "post_hooks": [
                    f"{RUFF} check . --fix-only --quiet",
                    f"{RUFF} format . --quiet",
                ],
            }
        )
    )
    command = [
        str(GENERATOR),
        "generate",
        "--path",
        str(schema),
        "--meta",
        "none",
        "--config",
        str(config),
        "--output-path",
        str(tmp_path / PACKAGE),
        "--fail-on-warning",
    ]
    generated = subprocess.run(
        without_network(command),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert generated.returncode == 0, generated.stdout + generated.stderr
    assert "Warning" not in generated.stdout + generated.stderr
    sys.path.insert(0, str(tmp_path))
    try:
        package = importlib.import_module(PACKAGE)
        for module in pkgutil.walk_packages(package.__path__, f"{PACKAGE}."):
            importlib.import_module(module.name)
        yield package
    finally:
        sys.path.remove(str(tmp_path))
        for name in [name for name in sys.modules if name.startswith(PACKAGE)]:
            del sys.modules[name]


def test_the_live_schema_passes_openapi_spec_validator(live_schema):
    validate(live_schema)


def test_a_generated_client_alone_goes_from_register_to_logout(
    client_package, live_server
):
    api = importlib.import_module(f"{PACKAGE}.api")
    models = importlib.import_module(f"{PACKAGE}.models")
    for module in (
        "auth.auth_register_create",
        "auth.auth_token_create",
        "auth.auth_token_refresh_create",
        "auth.auth_logout_create",
        "restaurants.restaurants_list",
        "restaurants.restaurants_retrieve",
        "orders.orders_create",
        "orders.orders_retrieve",
    ):
        importlib.import_module(f"{PACKAGE}.api.{module}")
    auth, restaurants, orders = api.auth, api.restaurants, api.orders
    # The clients are closed at the end, so no kept-alive connection outlives
    # the live server.
    with ExitStack() as open_clients:
        anonymous = open_clients.enter_context(
            client_package.Client(base_url=live_server.url)
        )

        registered = auth.auth_register_create.sync_detailed(
            client=anonymous,
            body=models.RegistrationRequest(
                username="newcomer",
                password="a-long-new-phrase",
                email="new@example.com",
            ),
        )
        assert registered.status_code == 201, registered.content
        assert registered.parsed.role == models.RoleEnum.CUSTOMER

        pair = auth.auth_token_create.sync(
            client=anonymous,
            body=models.LoginRequest(username="newcomer", password="a-long-new-phrase"),
        )
        assert isinstance(pair, models.TokenPair)
        sent = []
        customer = open_clients.enter_context(
            client_package.AuthenticatedClient(
                base_url=live_server.url,
                token=pair.access,
                httpx_args={"event_hooks": {"request": [sent.append]}},
            )
        )

        listed = restaurants.restaurants_list.sync(client=anonymous)
        assert isinstance(listed, models.PaginatedRestaurantList)
        assert "marios-pizzeria" in [restaurant.slug for restaurant in listed.results]
        menu = restaurants.restaurants_retrieve.sync(
            slug="marios-pizzeria", client=anonymous
        )
        dish = next(
            dish
            for category in menu.categories
            for dish in category.items
            if dish.available and dish.name == "Margherita Pizza"
        )

        placed = orders.orders_create.sync_detailed(
            client=customer,
            body=models.OrderRequest(
                items=[models.OrderLineRequest(menu_item=dish.id, quantity=2)],
                delivery_address="1 Main Street",
                note="Ring twice",
            ),
            idempotency_key="first-order",
        )
        assert placed.status_code == 201, placed.content
        assert sent[-1].headers["Content-Type"] == "application/json"
        assert sent[-1].headers["Authorization"] == f"Bearer {pair.access}"
        assert placed.headers["Idempotent-Replayed"] == "false"
        order = placed.parsed
        assert isinstance(order, models.Order)
        assert [(item.name, item.quantity) for item in order.items] == [
            ("Margherita Pizza", 2)
        ]
        saved = Order.objects.get()
        assert saved.customer.username == "newcomer"
        assert str(saved.total) == order.total

        again = orders.orders_retrieve.sync(id=order.id, client=customer)
        assert again.to_dict() == order.to_dict()

        renewed = auth.auth_token_refresh_create.sync(
            client=anonymous, body=models.RefreshRequest(refresh=pair.refresh)
        )
        assert isinstance(renewed, models.TokenPair)
        assert renewed.refresh != pair.refresh

        logged_out = auth.auth_logout_create.sync_detailed(
            client=anonymous, body=models.RefreshRequest(refresh=renewed.refresh)
        )
        assert logged_out.status_code == 205
        refused = auth.auth_token_refresh_create.sync_detailed(
            client=anonymous, body=models.RefreshRequest(refresh=renewed.refresh)
        )
        assert refused.status_code == 401
        assert isinstance(refused.parsed, models.Error)
        assert refused.parsed.code == "token_not_valid"
