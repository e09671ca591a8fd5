"""The handout reader finds commands, servers and promised answers."""

from tests.workshop.handout import missing, steps

SAMPLE = """
## Lesson 1: one

```sh
# setup: skipped by the runner
export BASE=http://example
```

```sh
curl -s "$BASE/"
```

```text
HTTP/1.1 200 OK
"slug"
```

## Lesson 2: two

```sh
# in another terminal: a server
PORT=8009 make run
```

## Exercises

```sh
echo never run
```
"""


def test_steps_pair_commands_with_their_answers():
    found = steps(SAMPLE)
    assert [step.lesson for step in found] == [
        "Lesson 1: one",
        "Lesson 1: one",
        "Lesson 2: two",
    ]
    setup, command, server = found
    assert setup.is_setup
    assert command.expected == ["HTTP/1.1 200 OK", '"slug"']
    assert server.is_server
    assert server.port == 8009


def test_answers_must_appear_in_order():
    assert missing(["a", "c"], "a b c") is None
    assert missing(["c", "a"], "a b c") == "a"
    assert missing(["zzz"], "a b c") == "zzz"
