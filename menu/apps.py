from django.apps import AppConfig


class MenuConfig(AppConfig):
    """The menu on the table: restaurants and dishes anyone may read."""

    name = "menu"
    verbose_name = "Menu"

    def ready(self) -> None:
        from menu import signals  # noqa: F401  (connects the cache invalidation)
