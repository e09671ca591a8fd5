"""What the labs keep: their own orders, what each attendee solved, and lab material.

None of it is the restaurant's: a lab order is never a real order. The room's
reset (``make workshop-reset``) empties every table, these too: the progress,
and the lab's keys, so that no lab card of one session works in the next.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone


class Lab(models.TextChoices):
    """The labs, in the order the room does them; the value is the lab's address."""

    UNVERIFIED_SIGNATURE = "unverified-signature", "1. The signature is never checked"
    ALG_NONE = "alg-none", "2. alg: none is accepted"
    WEAK_SECRET = "weak-secret", "3. A secret from a wordlist"
    JWK_HEADER = "jwk-header", "4. The card brings its own key (jwk)"
    JKU_HEADER = "jku-header", "5. The card says where its key is (jku)"
    KID_PATH = "kid-path", "6. kid names a file"
    ALGORITHM_CONFUSION = "algorithm-confusion", "7. RS256 read as HS256"
    EXPIRY_UNCHECKED = "expiry-unchecked", "8. Expiry is never checked"
    STOLEN_FROM_STORAGE = "stolen-from-storage", "9. A card in localStorage"


class LabOrder(models.Model):
    """An order the broken waiter took for an attendee's table: the lab's own.

    A kitchen card orders a staff meal, which the lab's front desk never hands an
    attendee: a staff meal is the exploit. The card is not kept, only its
    fingerprint, to recognise the same card when the real waiter refuses it.
    """

    attendee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="lab_orders"
    )
    lab = models.CharField(max_length=32, choices=Lab.choices)
    card_fingerprint = models.CharField(max_length=64, db_index=True)
    customer = models.CharField(max_length=150)
    staff_meal = models.BooleanField()
    lines = models.JSONField()
    total = models.DecimalField(max_digits=9, decimal_places=2)
    placed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-placed_at", "-id"]

    def __str__(self) -> str:
        return f"lab order #{self.pk} ({self.lab})"


class Solve(models.Model):
    """A challenge (a lab or a lesson) the server saw an attendee complete."""

    attendee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="solves"
    )
    challenge = models.CharField(max_length=40)
    solved_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["attendee", "challenge"], name="lab_one_solve_per_challenge"
            )
        ]
        indexes = [models.Index(fields=["solved_at"], name="lab_solve_recent")]

    def __str__(self) -> str:
        return f"{self.challenge} by user #{self.attendee_id}"


class PublishedKeySet(models.Model):
    """A JSON Web Key Set an attendee serves from the lab, for the jku lab."""

    owner = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="lab_key_set"
    )
    jwks = models.JSONField()
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"key set of user #{self.owner_id}"


class Review(models.Model):
    """An attendee's review on the lab's restaurant page, which the chef reads.

    The stolen-from-storage lab shows it without escaping: only to its author.
    """

    author = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="lab_review"
    )
    text = models.TextField(max_length=2000)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"review by user #{self.author_id}"


class Loot(models.Model):
    """The latest thing an injected script sent to the attacker's drop box.

    The drop box is the lab's own. Only a lab card is kept, and of the cookies
    the script could read only their names, never a value.
    """

    owner = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="lab_loot"
    )
    card = models.TextField(blank=True)
    cookie_names = models.JSONField(default=list)
    received_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"loot of user #{self.owner_id}"


class LabKey(models.Model):
    """A key of the lab's own, made at random on first use. Never the front desk's.

    ``secret`` is the root of the labs' HMAC keys (hex); ``rsa`` is the RSA key
    pair of the jwk, jku and confusion labs (PEM).
    """

    SECRET = "secret"  # noqa: S105 - the name of a key, not a key
    RSA = "rsa"

    name = models.CharField(max_length=16, unique=True)
    material = models.TextField()

    def __str__(self) -> str:
        return f"lab key {self.name}"
