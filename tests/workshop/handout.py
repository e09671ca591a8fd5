"""Read docs/workshop.md as a script: its shell blocks and the answers they promise."""

import re
from dataclasses import dataclass, field
from pathlib import Path

HANDOUT = Path(__file__).resolve().parents[2] / "docs" / "workshop.md"
FENCE = re.compile(r"^```(\w*)\n(.*?)^```\s*$", re.MULTILINE | re.DOTALL)
LESSON = re.compile(r"^Lesson (\d+):")


@dataclass
class Step:
    """One shell block of the handout and the text its answer must contain."""

    lesson: str
    command: str
    expected: list[str] = field(default_factory=list)

    @property
    def is_for_the_instructor(self) -> bool:
        """The instructor's own commands, which a test runs in its own way."""
        return self.command.startswith("# setup: the instructor")

    @property
    def is_attendee_setup(self) -> bool:
        return self.command.startswith("# setup: every attendee")

    @property
    def lesson_number(self) -> int | None:
        match = LESSON.match(self.lesson)
        return int(match.group(1)) if match else None


def steps(text: str | None = None) -> list[Step]:
    """Every shell block up to the exercises, each with the text block after it."""
    text = HANDOUT.read_text() if text is None else text
    text = text.split("\n## Exercises", 1)[0]
    found: list[Step] = []
    lesson = "introduction"
    position = 0
    for match in FENCE.finditer(text):
        for heading in re.findall(r"^## (.+)$", text[position : match.start()], re.M):
            lesson = heading
        position = match.end()
        language, body = match.group(1), match.group(2)
        if language == "sh":
            found.append(Step(lesson=lesson, command=body.strip()))
        elif language == "text" and found and not found[-1].expected:
            found[-1].expected = [
                line.strip() for line in body.splitlines() if line.strip()
            ]
    return found


def missing(expected: list[str], output: str) -> str | None:
    """The first expected piece not found in ``output`` after the previous one."""
    cursor = 0
    for piece in expected:
        index = output.find(piece, cursor)
        if index < 0:
            return piece
        cursor = index + len(piece)
    return None
