"""The room's database: migrated, the demo loaded, the instructor's password set.

The demo's ``admin`` is a superuser whose password the README prints; in front of
a room it gets the room's own instructor password instead (teaching.room.keys),
which ``make workshop`` shows to the instructor alone.
"""

from io import StringIO

from django.core.management import call_command

from accounts.models import User
from teaching.room.keys import RoomKeys

INSTRUCTOR = "admin"


def load_demo() -> None:
    """Migrate and load the demo data; nothing changes the second time."""
    call_command("migrate", interactive=False, verbosity=0)
    call_command("seed_demo", force=True, stdout=StringIO())


def prepare(*, keys: RoomKeys) -> None:
    """Bring the database to the room's starting point."""
    load_demo()
    secure_instructor(keys=keys)


def secure_instructor(*, keys: RoomKeys) -> None:
    instructor = User.objects.get(username=INSTRUCTOR)
    if not instructor.check_password(keys.admin_password):
        instructor.set_password(keys.admin_password)
        instructor.save()
