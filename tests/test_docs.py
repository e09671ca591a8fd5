"""The threat model cites tests; each one it names must exist."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_every_test_and_file_named_in_the_threat_model_exists():
    text = (ROOT / "docs" / "security.md").read_text()
    sources = "\n".join(path.read_text() for path in (ROOT / "tests").rglob("*.py"))
    for name in set(re.findall(r"\btest_\w+\b(?!\.py)", text)):
        assert f"def {name}(" in sources, name
    for path in set(re.findall(r"`((?:tests|docs|accounts)/[\w/]+\.py)", text)):
        assert (ROOT / path).exists(), path
