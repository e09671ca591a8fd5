"""The people who order and the people who cook."""

from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower

from accounts import signals
from accounts.revocation import revoke_user_tokens


class Role(models.TextChoices):
    """What a person may do; carried in the access token as the ``role`` claim."""

    CUSTOMER = "customer", "Customer"
    KITCHEN = "kitchen", "Kitchen staff"


class User(AbstractUser):
    """A customer of the restaurants, or a member of a kitchen's staff."""

    role = models.CharField(max_length=16, choices=Role, default=Role.CUSTOMER)
    restaurant = models.ForeignKey(
        "menu.Restaurant",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="staff",
        help_text="The kitchen this person works in; only for kitchen staff.",
    )

    objects = UserManager()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(role__in=Role.values),
                name="accounts_user_role_known",
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(role=Role.CUSTOMER, restaurant__isnull=True)
                    | models.Q(role=Role.KITCHEN, restaurant__isnull=False)
                ),
                name="accounts_user_kitchen_has_restaurant",
                violation_error_message=(
                    "Kitchen staff need a restaurant; customers have none."
                ),
            ),
            models.UniqueConstraint(
                Lower("username"),
                name="accounts_user_username_ci_unique",
                violation_error_message="A user with that username already exists.",
            ),
        ]

    def __str__(self) -> str:
        return self.username

    def clean(self) -> None:
        """The kitchen-staff constraint, as an error on the restaurant field.

        The database refuses a cook without a restaurant, or a customer with one
        (``accounts_user_kitchen_has_restaurant``); a form (the admin's) names the
        field to fix instead of failing on save.
        """
        super().clean()
        if self.role == Role.KITCHEN and self.restaurant_id is None:
            raise ValidationError(
                {"restaurant": "Kitchen staff need a restaurant."}, code="required"
            )
        if self.role == Role.CUSTOMER and self.restaurant_id is not None:
            raise ValidationError(
                {"restaurant": "Customers have no restaurant: leave it empty."},
                code="invalid",
            )

    @property
    def is_kitchen(self) -> bool:
        return self.role == Role.KITCHEN

    def save(self, *args, **kwargs) -> None:
        """Save; a new password or a disabled account ends every token of the user.

        Done here rather than in one view so that every path that changes a password
        or disables an account (the API, the admin, ``manage.py changepassword``)
        has the same effect. Refresh tokens end in the database; access tokens end
        at once only with instant revocation on (``accounts.revocation``).
        """
        existing = self.pk is not None
        password_changed = existing and self._password is not None
        super().save(*args, **kwargs)
        if password_changed or (existing and not self.is_active):
            revoke_user_tokens(user_id=self.pk)
            signals.announce(
                signals.REVOKED,
                user_id=self.pk,
                username=self.get_username(),
                reason="password changed" if password_changed else "account disabled",
            )
