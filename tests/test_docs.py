"""The threat model cites tests; each one it names must exist, in the file it names."""

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


def test_every_test_cited_with_its_file_is_in_that_file():
    """``tests/…/test_x.py::test_name``: the claim beside it is held by that test."""
    text = (ROOT / "docs" / "security.md").read_text()
    cited = re.findall(r"\b(tests/[\w/]+\.py)::(test_\w+)", text)
    assert cited
    for path, name in set(cited):
        source = ROOT / path
        assert source.exists(), path
        assert f"def {name}(" in source.read_text(), f"{path}::{name}"
