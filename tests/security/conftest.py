"""Fixtures shared by the security suites, and the fuzzer's seeds."""

import logging
import os
import random
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache

import pytest
from django.apps import apps
from django.test import Client

from accounts.models import Login, User
from accounts.services import issue_token_pair
from menu.models import MenuItem, Restaurant
from orders.models import Order
from orders.services import OrderLineRequest, place_order
from tests.conftest import throttle_rates
from tests.factories import KitchenUserFactory, UserFactory, build_menu


@dataclass(frozen=True)
class Scene:
    """A small restaurant with its people: ids and slugs that exist."""

    restaurant: Restaurant
    dish: MenuItem
    customer: User
    cook: User
    # Two orders of the customer's, both still placed: one for the customer to
    # cancel, one for the kitchen to move on.
    order: Order
    kitchen_order: Order


@pytest.fixture
def scene(db) -> Scene:
    """Two restaurants of six dishes, a customer with two orders, and the cook;
    with the labs on, a key set the customer published for the jku lab."""
    restaurant, _ = build_menu(restaurants=2, categories=2, dishes=3)
    dish = restaurant.items.order_by("pk").first()
    customer = UserFactory()
    if apps.is_installed("lab"):
        # The labs are an app only while they are enabled.
        from lab.models import PublishedKeySet

        PublishedKeySet.objects.create(owner=customer, jwks={"keys": []})
    cook = KitchenUserFactory(restaurant=restaurant)
    order, kitchen_order = (
        place_order(
            customer_id=customer.pk,
            lines=[OrderLineRequest(menu_item_id=dish.pk, quantity=2)],
            delivery_address="1 Main Street",
        ).order
        for _ in range(2)
    )
    return Scene(
        restaurant=restaurant,
        dish=dish,
        customer=customer,
        cook=cook,
        order=order,
        kitchen_order=kitchen_order,
    )


@dataclass(frozen=True)
class Tokens:
    """Valid tokens; each refresh token serves one endpoint, which may end it."""

    customer_access: str
    refresh_to_rotate: str
    refresh_to_end: str
    cook_access: str
    customer_id: int
    cook_id: int
    # A third login of the customer's, for "end this login" to end.
    login_to_end: int


@pytest.fixture
def tokens(scene: Scene) -> Tokens:
    """The scene's customer's and cook's tokens."""
    first, second, third = (issue_token_pair(user=scene.customer) for _ in range(3))
    return Tokens(
        customer_access=str(first.access),
        refresh_to_rotate=str(first.refresh),
        refresh_to_end=str(second.refresh),
        cook_access=str(issue_token_pair(user=scene.cook).access),
        customer_id=scene.customer.pk,
        cook_id=scene.cook.pk,
        login_to_end=Login.objects.get(family=third.refresh["fam"]).pk,
    )


@pytest.fixture
def robust_client() -> Client:
    """A client that reports a server error as an answer instead of raising it."""
    return Client(raise_request_exception=False)


class ErrorLog(logging.Handler):
    """Keeps the exceptions the API logs as it answers 500."""

    def __init__(self) -> None:
        super().__init__(level=logging.ERROR)
        self.causes: list[BaseException] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.exc_info and record.exc_info[1] is not None:
            self.causes.append(record.exc_info[1])


@pytest.fixture
def error_log() -> Iterator[ErrorLog]:
    handler = ErrorLog()
    logger = logging.getLogger("api.errors")
    logger.addHandler(handler)
    yield handler
    logger.removeHandler(handler)


@pytest.fixture
def relaxed_throttles(settings) -> None:
    """Every throttle at a rate no test reaches, so that requests get past them."""
    rates = settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]
    throttle_rates(settings, **dict.fromkeys(rates, "1000000/min"))


@pytest.fixture
def production(settings) -> None:
    """Answer as in production: JSON errors, no debug pages."""
    settings.DEBUG = False


# --- The fuzzer's seeds (tests/security/test_fuzz.py) -------------------------

# The seed of the run that sends the same requests every time.
FIXED_FUZZ_SEED = 20_240_601


def fuzz_examples() -> int:
    """Examples per operation and caller: ``FUZZ_EXAMPLES``, 30 by default."""
    return int(os.environ.get("FUZZ_EXAMPLES") or 30)


@cache
def random_fuzz_seed() -> int:
    """The seed of the random run: ``FUZZ_SEED`` when given, else a fresh one.

    Each process draws its own, so under pytest-xdist a failure's report is where
    to read the seed that found it.
    """
    given = os.environ.get("FUZZ_SEED")
    return int(given) if given else random.SystemRandom().randrange(2**32)


def seed_line() -> str:
    seed = random_fuzz_seed()
    return (
        f"fuzz: fixed seed {FIXED_FUZZ_SEED}, random seed {seed} "
        f"(FUZZ_SEED={seed} replays it)"
    )


def pytest_report_header(config: pytest.Config) -> str:
    """Shown when the security suites are named on the command line."""
    return seed_line()


def pytest_terminal_summary(terminalreporter, exitstatus, config) -> None:
    """Shown after any run that fuzzed, however the suites were chosen."""
    fuzzed = any(
        "random_seed" in report.nodeid
        for outcome in ("passed", "failed", "error")
        for report in terminalreporter.stats.get(outcome, [])
    )
    if fuzzed:
        terminalreporter.write_line(seed_line())
