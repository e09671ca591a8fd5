from django.apps import AppConfig


class AccountsConfig(AppConfig):
    """The front desk: checks a password once and issues the signed ID card."""

    name = "accounts"
    verbose_name = "Accounts (the front desk)"

    def ready(self) -> None:
        from django.core import checks
        from django.db.models.signals import pre_delete

        from accounts import schema  # noqa: F401 - registers the OpenAPI extension
        from accounts.keys import check_signing_keys
        from accounts.models import User
        from accounts.receivers import end_the_cards_of_a_deleted_account

        checks.register(check_signing_keys)
        pre_delete.connect(
            end_the_cards_of_a_deleted_account,
            sender=User,
            dispatch_uid="accounts-end-cards-of-deleted-account",
        )
