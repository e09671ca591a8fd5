from django.db import migrations


class Migration(migrations.Migration):
    """A lab key is a PEM (RSA) or the hex of the HMAC keys' root: its material."""

    dependencies = [
        ("lab", "0001_initial"),
    ]

    operations = [
        migrations.RenameField(
            model_name="labkey", old_name="private_pem", new_name="material"
        ),
    ]
