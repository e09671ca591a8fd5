"""Shapes of the front desk's requests and answers."""

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import serializers

from accounts.models import User
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
