"""Front-desk errors, with no HTTP knowledge; views translate them."""


class AccountError(Exception):
    """Something the front desk refuses to do."""


class UsernameTaken(AccountError):
    """Another account already uses this username (letter case aside)."""


class InactiveAccount(AccountError):
    """The account is disabled or gone, so it gets no new card."""
