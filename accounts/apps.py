from django.apps import AppConfig


class AccountsConfig(AppConfig):
    """The front desk: checks a password once and issues the signed ID card."""

    name = "accounts"
    verbose_name = "Accounts (the front desk)"

    def ready(self) -> None:
        from django.core import checks

        from accounts import schema  # noqa: F401 - registers the OpenAPI extension
        from accounts.keys import check_signing_keys

        checks.register(check_signing_keys)
