"""Keep the menu cache honest: any edit of the menu moves its version on."""

from django.db.models.signals import post_delete, post_save

from menu.cache import menu_changed
from menu.models import Category, MenuItem, Restaurant

# The Django admin saves every change through Model.save(), list_editable rows
# included, and deletes through Model.delete() or QuerySet.delete(); all of them
# send these signals, cascades too. QuerySet.update() and bulk_create() do not:
# code that uses them on these models must call menu_changed() itself.
MENU_MODELS = (Restaurant, Category, MenuItem)


def forget_cached_menu(sender, **kwargs) -> None:
    """Leave every cached answer of the menu behind after a save or a delete."""
    menu_changed()


# Connected per model rather than to every sender, so that deleting rows of other
# models keeps Django's fast path (no signal to send, no rows to collect).
for model in MENU_MODELS:
    post_save.connect(
        forget_cached_menu, sender=model, dispatch_uid=f"menu-cache-save-{model}"
    )
    post_delete.connect(
        forget_cached_menu, sender=model, dispatch_uid=f"menu-cache-delete-{model}"
    )
