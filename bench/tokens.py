"""Sign access tokens for the bench's clients, with the server's own keys.

Run in the environment of the server under test (its database and signing key):

    python -m bench.tokens --out tokens.json alice chef

writes ``{"alice": "<access token>", "chef": ...}``: a pair issued by the front
desk (``accounts.services.issue_token_pair``), as a login would issue it, without
the password hash of a login.
"""

import argparse
import json
import os
from pathlib import Path

import django


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("usernames", nargs="+")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    django.setup()

    from accounts.models import User
    from accounts.services import issue_token_pair

    tokens = {
        name: str(issue_token_pair(user=User.objects.get(username=name)).access)
        for name in args.usernames
    }
    args.out.write_text(json.dumps(tokens, indent=2))


if __name__ == "__main__":
    main()
