"""Shapes of the front desk's requests and answers."""

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import serializers

from accounts.models import Login, LoginEnd, LoginState, User
from api.fields import StrictCharField

# A JWT of this project is a few hundred bytes; anything far larger is not one.
MAX_TOKEN_LENGTH = 8192


class RegistrationSerializer(serializers.Serializer):
    username = StrictCharField(max_length=150)
    password = StrictCharField(
        write_only=True,
        max_length=128,
        trim_whitespace=False,
        style={"input_type": "password"},
    )
    # No default: an empty string is no email address, and the schema would say
    # it was one (``format: email``). An absent email is stored empty.
    email = serializers.EmailField(required=False, allow_blank=True)

    def validate_username(self, value: str) -> str:
        value = User.normalize_username(value)
        for validator in User._meta.get_field("username").validators:
            try:
                validator(value)
            except DjangoValidationError as exc:
                raise serializers.ValidationError(list(exc.messages)) from exc
        if User.objects.filter(username__iexact=value).exists():
            raise serializers.ValidationError(
                "A user with that username already exists."
            )
        return value

    def validate(self, attrs: dict) -> dict:
        candidate = User(username=attrs["username"], email=attrs.get("email", ""))
        try:
            password_validation.validate_password(attrs["password"], candidate)
        except DjangoValidationError as exc:
            raise serializers.ValidationError({"password": list(exc.messages)}) from exc
        return attrs


def optional_email() -> serializers.CharField:
    """The email address, read only; empty, and so no email format, when none was
    given at registration."""
    return serializers.CharField(
        read_only=True, help_text="The email address, or empty when none was given."
    )


class UserSerializer(serializers.ModelSerializer):
    email = optional_email()

    class Meta:
        model = User
        fields = ["id", "username", "email", "role"]
        read_only_fields = fields


class ProfileSerializer(serializers.ModelSerializer):
    email = optional_email()
    # Only kitchen staff work at a restaurant; for a customer it is null.
    restaurant = serializers.SlugRelatedField(
        slug_field="slug", read_only=True, allow_null=True
    )

    class Meta:
        model = User
        fields = ["id", "username", "email", "role", "restaurant"]
        read_only_fields = fields


class LoginSerializer(serializers.Serializer):
    username = StrictCharField(max_length=150, write_only=True)
    password = StrictCharField(
        max_length=128,
        write_only=True,
        trim_whitespace=False,
        style={"input_type": "password"},
    )


class RefreshSerializer(serializers.Serializer):
    refresh = StrictCharField(max_length=MAX_TOKEN_LENGTH)


class TokenSerializer(serializers.Serializer):
    token = StrictCharField(max_length=MAX_TOKEN_LENGTH, trim_whitespace=True)


class TokenPairSerializer(serializers.Serializer):
    access = serializers.CharField()
    refresh = serializers.CharField()
    access_expires_at = serializers.DateTimeField()
    refresh_expires_at = serializers.DateTimeField()


class LoginRecordSerializer(serializers.ModelSerializer):
    """One of a person's logins: the pairs renewed from one password check."""

    state = serializers.ChoiceField(
        choices=LoginState.choices,
        read_only=True,
        help_text="`open`; `ended` (`ended_reason` says why); `expired` (ran out).",
    )
    ended_reason = serializers.ChoiceField(
        choices=LoginEnd.choices,
        allow_blank=True,
        read_only=True,
        help_text="Why the login ended; empty while it has not.",
    )
    current = serializers.SerializerMethodField(
        help_text="Whether this is the login of the card that asked."
    )

    class Meta:
        model = Login
        fields = [
            "id",
            "family",
            "device",
            "address",
            "created_at",
            "renewed_at",
            "expires_at",
            "state",
            "ended_at",
            "ended_reason",
            "current",
        ]
        read_only_fields = fields
        extra_kwargs = {
            "family": {"help_text": "The `fam` claim of every token of this login."},
            "address": {"help_text": "The client's address when it logged in."},
        }

    def get_current(self, login: Login) -> bool:
        return login.family == self.context.get("current_family")


class PasswordChangeSerializer(serializers.Serializer):
    """The old password, confirmed; a new one that passes Django's validators.

    The person is ``context["user"]``, read from the database.
    """

    old_password = StrictCharField(
        write_only=True,
        max_length=128,
        trim_whitespace=False,
        style={"input_type": "password"},
    )
    new_password = StrictCharField(
        write_only=True,
        max_length=128,
        trim_whitespace=False,
        style={"input_type": "password"},
    )

    def validate_old_password(self, value: str) -> str:
        if not self.context["user"].check_password(value):
            raise serializers.ValidationError(
                "Your old password was entered incorrectly.", code="password_incorrect"
            )
        return value

    def validate_new_password(self, value: str) -> str:
        try:
            password_validation.validate_password(value, self.context["user"])
        except DjangoValidationError as exc:
            raise serializers.ValidationError(list(exc.messages)) from exc
        return value


class PasswordChangedSerializer(serializers.Serializer):
    logins_ended = serializers.IntegerField(
        help_text="How many other logins the new password ended."
    )
