"""The front desk's paper forms: log in, register and change a password, for the
site's pages."""

from django import forms
from django.contrib.auth import authenticate
from django.http import HttpRequest

from accounts.models import User
from accounts.serializers import PasswordChangeSerializer, RegistrationSerializer
from accounts.views import WRONG_CREDENTIALS


class LoginForm(forms.Form):
    """A username and password, checked exactly as ``POST /api/auth/token/`` does."""

    username = forms.CharField(
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "username", "autofocus": True}),
    )
    password = forms.CharField(
        max_length=128,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args, request: HttpRequest, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.request = request
        self.user: User | None = None

    def clean(self) -> dict:
        data = super().clean()
        if self.errors:
            return data
        self.user = authenticate(
            self.request, username=data["username"], password=data["password"]
        )
        if self.user is None:
            raise forms.ValidationError(WRONG_CREDENTIALS, code="no_active_account")
        return data


class RegistrationForm(forms.Form):
    """A new customer, validated by the API's own rules (``RegistrationSerializer``)."""

    username = forms.CharField(
        max_length=150, widget=forms.TextInput(attrs={"autocomplete": "username"})
    )
    email = forms.EmailField(
        required=False, widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
    password = forms.CharField(
        max_length=128,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text="At least 10 characters, not a common password, not all digits.",
    )

    def clean(self) -> dict:
        data = super().clean()
        if self.errors:
            return data
        serializer = RegistrationSerializer(data=data)
        if not serializer.is_valid():
            for field, messages in serializer.errors.items():
                target = field if field in self.fields else None
                for message in messages:
                    self.add_error(target, str(message))
            return data
        return serializer.validated_data


class PasswordChangeForm(forms.Form):
    """The old password and a new one, checked by the API's own rules
    (``PasswordChangeSerializer``); the new one typed twice."""

    old_password = forms.CharField(
        max_length=128,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    new_password = forms.CharField(
        max_length=128,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text="At least 10 characters, not a common password, not all digits.",
    )
    new_password_again = forms.CharField(
        label="New password, again",
        max_length=128,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, user: User | None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean(self) -> dict:
        data = super().clean()
        if self.errors:
            return data
        if data["new_password"] != data["new_password_again"]:
            self.add_error("new_password_again", "The two new passwords differ.")
            return data
        serializer = PasswordChangeSerializer(
            data={
                "old_password": data["old_password"],
                "new_password": data["new_password"],
            },
            context={"user": self.user},
        )
        if not serializer.is_valid():
            for field, messages in serializer.errors.items():
                for message in messages:
                    self.add_error(field, str(message))
        return data
