"""Load the demo users, restaurants and menus; running it again changes nothing."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from accounts.models import User
from menu.demo_data import DEMO_PASSWORD, RESTAURANTS, USERS
from menu.models import Category, MenuItem, Restaurant


class Command(BaseCommand):
    help = (
        "Create the demo users (password 'delivery-demo'), restaurants and menus. "
        "Idempotent: what already exists is left as it is."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Run even with DEBUG off (the demo users have a public password).",
        )

    def handle(self, *args, force: bool = False, **options) -> None:
        if not settings.DEBUG and not force:
            raise CommandError(
                "DEBUG is off: the demo users have a public password. "
                "Use --force to load them anyway."
            )
        with transaction.atomic():
            counts = self._seed_menus()
            counts["users"] = self._seed_users()
        if any(counts.values()):
            created = ", ".join(f"{number} {name}" for name, number in counts.items())
            self.stdout.write(self.style.SUCCESS(f"Demo data created: {created}."))
        else:
            self.stdout.write("Demo data already present; nothing changed.")
        self.stdout.write(
            f"Demo accounts (password '{DEMO_PASSWORD}'): "
            + ", ".join(
                f"{name} ({'superuser' if superuser else role})"
                for name, _, role, _, superuser in USERS
            )
        )

    def _seed_menus(self) -> dict[str, int]:
        counts = {"restaurants": 0, "categories": 0, "dishes": 0}
        for name, slug, cuisine, description, fee, is_open, menu in RESTAURANTS:
            restaurant, created = Restaurant.objects.get_or_create(
                slug=slug,
                defaults={
                    "name": name,
                    "cuisine": cuisine,
                    "description": description,
                    "delivery_fee": fee,
                    "is_open": is_open,
                },
            )
            counts["restaurants"] += created
            for position, (category_name, dishes) in enumerate(menu.items()):
                category, created = Category.objects.get_or_create(
                    restaurant=restaurant,
                    name=category_name,
                    defaults={"position": position},
                )
                counts["categories"] += created
                for dish, about, price, vegetarian, available in dishes:
                    _, created = MenuItem.objects.get_or_create(
                        restaurant=restaurant,
                        name=dish,
                        defaults={
                            "category": category,
                            "description": about,
                            "price": price,
                            "vegetarian": vegetarian,
                            "available": available,
                        },
                    )
                    counts["dishes"] += created
        return counts

    def _seed_users(self) -> int:
        created = 0
        for username, email, role, slug, superuser in USERS:
            if User.objects.filter(username__iexact=username).exists():
                continue
            restaurant = Restaurant.objects.get(slug=slug) if slug else None
            make = (
                User.objects.create_superuser if superuser else User.objects.create_user
            )
            make(
                username=username,
                email=email,
                password=DEMO_PASSWORD,
                role=role,
                restaurant=restaurant,
            )
            created += 1
        return created
