"""The people who order and the people who cook, and their logins."""

from datetime import datetime

from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone

from accounts import signals


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

    # True from ``set_password`` until the next ``save`` (which ends the logins).
    password_is_new = False

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

    def set_password(self, raw_password: str | None) -> None:
        """Set the password, and note that the next ``save`` ends the logins."""
        super().set_password(raw_password)
        self.password_is_new = True

    def save(self, *args, keep_login: str | None = None, **kwargs) -> None:
        """Save; a new password or a disabled account ends every login of the user.

        Done here rather than in one view so that every path that changes a password
        or disables an account (the API, the admin, ``manage.py changepassword``)
        has the same effect. ``keep_login``, the family of the login a person
        changed their password from, is the one login a new password leaves open.
        The refresh tokens end in the database; access tokens end at once only with
        instant revocation on (``accounts.revocation``).

        As Django's own sessions end when the password's hash changes
        (``get_session_auth_hash``), so do the logins, for whatever reason the hash
        was set: a new password, or the new hash Django makes at a login after its
        hashers were strengthened.
        """
        # The revocation module reads this module's models.
        from accounts.revocation import end_logins

        existing = self.pk is not None
        password_changed = existing and self.password_is_new
        super().save(*args, **kwargs)
        self.password_is_new = False
        if password_changed or (existing and not self.is_active):
            if self.is_active:
                reason, kept = LoginEnd.PASSWORD_CHANGED, keep_login
            else:
                reason, kept = LoginEnd.ACCOUNT_DISABLED, None
            end_logins(user_id=self.pk, reason=reason, keep_family=kept)
            signals.announce(
                signals.REVOKED,
                user_id=self.pk,
                username=self.get_username(),
                reason=reason.label.lower(),
            )


class LoginEnd(models.TextChoices):
    """Why a login ended."""

    LOGGED_OUT = "logged_out", "Logged out"
    ENDED = "ended", "Ended from another login"
    EVERYWHERE = "everywhere", "Logged out everywhere"
    PASSWORD_CHANGED = "password_changed", "Password changed"
    ACCOUNT_DISABLED = "account_disabled", "Account disabled"
    REUSED = "reused", "A traded-in refresh token came back"


class LoginState(models.TextChoices):
    """Where a login stands: open, ended (for a reason), or run out."""

    OPEN = "open", "Open"
    ENDED = "ended", "Ended"
    EXPIRED = "expired", "Expired"


class Login(models.Model):
    """One login: the pairs renewed one from another since a password was checked.

    Its ``family`` is the ``fam`` claim of every token of the login. The row names
    the login's one current refresh token by its id and times, never the token
    itself: a copy of the database must not hold cards that still work. A refresh
    token is accepted only while its login is open and only if it is the current
    one (``accounts.verification``); ending the login ends all of them at once.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="logins")
    family = models.CharField(max_length=28, unique=True, editable=False)
    device = models.CharField(
        max_length=100, blank=True, help_text="The browser or program, in short."
    )
    address = models.GenericIPAddressField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    renewed_at = models.DateTimeField(
        null=True, blank=True, help_text="When a refresh token was last traded in."
    )
    expires_at = models.DateTimeField(
        help_text="When the current refresh token expires, and the login with it."
    )
    refresh_jti = models.CharField(
        max_length=32, help_text="The id (jti) of the current refresh token."
    )
    rotated_jti = models.CharField(
        max_length=32,
        blank=True,
        help_text="The id of the refresh token traded in last, for the grace period.",
    )
    ended_at = models.DateTimeField(null=True, blank=True)
    ended_reason = models.CharField(max_length=20, choices=LoginEnd, blank=True)

    class Meta:
        indexes = [models.Index(fields=["user", "-created_at"])]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(ended_at__isnull=True, ended_reason="")
                    | (models.Q(ended_at__isnull=False) & ~models.Q(ended_reason=""))
                ),
                name="accounts_login_ended_with_a_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.device or 'a device'} since {self.created_at}"

    @property
    def refresh_issued_at(self) -> datetime:
        """When the current refresh token was signed (its ``iat``)."""
        return self.renewed_at or self.created_at

    @property
    def is_open(self) -> bool:
        return self.ended_at is None and self.expires_at > timezone.now()

    @property
    def state(self) -> str:
        """``open``, ``ended`` (see ``ended_reason``) or ``expired`` (ran out)."""
        if self.ended_at is not None:
            return LoginState.ENDED
        if self.expires_at <= timezone.now():
            return LoginState.EXPIRED
        return LoginState.OPEN
