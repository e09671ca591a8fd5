"""An account that is deleted takes its cards with it, however it is deleted."""

from accounts import signals
from accounts.models import User
from accounts.revocation import revoke_user_tokens


def end_the_cards_of_a_deleted_account(sender, instance: User, **kwargs) -> None:
    """Blacklist the refresh tokens of an account about to go; end its access tokens.

    Connected to ``pre_delete`` (``accounts.apps``), so that the admin, a queryset's
    ``delete()`` and the shell all do it, and before the rows go: the outstanding
    tokens still name their user. The access tokens end at once only with instant
    revocation on; otherwise they run out within their short lifetime.
    """
    # A login or a refresh under way holds the row until its pair is recorded:
    # wait for it, so that its pair ends here too instead of naming nobody.
    User.objects.select_for_update().filter(pk=instance.pk).exists()
    revoke_user_tokens(user_id=instance.pk)
    signals.announce(
        signals.REVOKED,
        user_id=instance.pk,
        username=instance.get_username(),
        reason="account deleted",
    )
