"""The handout reader finds commands, setups, lessons and promised answers."""

from tests.workshop.handout import missing, steps

SAMPLE = """
## Before you start

```sh
# setup: the instructor, once
make workshop
```

```sh
# setup: every attendee, in their own terminal
export BASE=http://ROOM:8000
```

## Lesson 1: one

```sh
curl -s "$BASE/"
```

```text
HTTP/1.1 200 OK
"slug"
```

## Lesson 12: twelve

```sh
curl -s "$SHORT/"
```

## Exercises

```sh
echo never run
```
"""


def test_steps_pair_commands_with_their_answers():
    found = steps(SAMPLE)
    assert [step.lesson for step in found] == [
        "Before you start",
        "Before you start",
        "Lesson 1: one",
        "Lesson 12: twelve",
    ]
    instructor, attendee, command, later = found
    assert instructor.is_for_the_instructor
    assert not instructor.is_attendee_setup
    assert attendee.is_attendee_setup
    assert not attendee.is_for_the_instructor
    assert command.expected == ["HTTP/1.1 200 OK", '"slug"']
    assert (instructor.lesson_number, command.lesson_number) == (None, 1)
    assert later.lesson_number == 12


def test_answers_must_appear_in_order():
    assert missing(["a", "c"], "a b c") is None
    assert missing(["c", "a"], "a b c") == "a"
    assert missing(["zzz"], "a b c") == "zzz"
