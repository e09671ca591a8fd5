"""/workshop/ renders docs/workshop.md itself, with the room's addresses filled in."""

import re

from django.urls import reverse

from tests.workshop.handout import HANDOUT, steps

PAGE = reverse("workshop-page")


def test_workshop_page_renders_every_lesson_and_command(client, db):
    response = client.get(PAGE)
    assert response.status_code == 200
    content = response.content.decode()
    for number in range(1, 11):
        assert f"Lesson {number}:" in content
    assert content.count("<pre>") >= len(steps())
    assert "<details>" in content
    assert "<summary>Solution</summary>" in content
    assert "js/workshop.js" in content
    assert 'id="lesson-5-forgeries-fail"' in content


def test_every_command_names_the_address_the_browser_used(client, db, settings):
    settings.ALLOWED_HOSTS = ["192.168.1.20"]
    content = client.get(PAGE, HTTP_HOST="192.168.1.20:9000").content.decode()
    assert "ROOM" not in content.replace("ROOM</code>", "")
    assert "export BASE=http://192.168.1.20:9000\n" in content
    for offset, name in enumerate(["SHORT", "BRANCH", "STRICT"], start=1):
        assert f"{name}=http://192.168.1.20:{9000 + offset}" in content
    assert "export RSA=http://192.168.1.20:9004\n" in content
    assert "export VERIFIER=http://192.168.1.20:9005\n" in content
    assert "127.0.0.1:8" not in content


def test_the_address_comes_only_from_an_allowed_host(client, db, settings):
    settings.ALLOWED_HOSTS = ["192.168.1.20"]
    response = client.get(PAGE, HTTP_HOST="evil.example:9000")
    assert response.status_code == 400
    forwarded = client.get(
        PAGE, HTTP_HOST="192.168.1.20:9000", HTTP_X_FORWARDED_HOST="evil.example"
    )
    assert "evil.example" not in forwarded.content.decode()


def test_a_page_opened_on_the_loopback_address_points_to_the_room(client, db, settings):
    settings.ALLOWED_HOSTS = ["192.168.1.20", "10.0.0.5", "127.0.0.1", "localhost"]
    content = client.get(PAGE, HTTP_HOST="127.0.0.1:8000").content.decode()
    assert "only this machine can reach" in content
    assert 'href="http://192.168.1.20:8000/workshop/"' in content
    assert 'href="http://10.0.0.5:8000/workshop/"' in content
    elsewhere = client.get(PAGE, HTTP_HOST="10.0.0.5:8000").content.decode()
    assert "only this machine can reach" not in elsewhere


def test_wide_tables_scroll_in_a_box_of_their_own(client, db):
    content = client.get(PAGE).content.decode()
    tables = content.count("<table>")
    assert tables >= 2
    assert content.count('<div class="table-wrap"><table>') == tables


def test_projector_mode_pages_through_the_lessons(client, db):
    plain = client.get(PAGE).content.decode()
    assert 'href="?projector=1"' in plain
    assert "lesson-pages" not in plain
    content = client.get(PAGE, {"projector": "1"}).content.decode()
    assert 'class="workshop projector"' in content
    sections = re.findall(
        r'<section class="lesson" aria-labelledby="([^"]+)">', content
    )
    headings = re.findall(r"^## ", HANDOUT.read_text(), re.M)
    assert len(sections) == len(headings) + 1
    assert f'href="#{sections[1]}" rel="next"' in content
    assert f'href="#{sections[0]}" rel="prev"' in content


def test_attendees_can_download_the_self_check(client, db):
    response = client.get(reverse("workshop-selfcheck"))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/x-python; charset=utf-8"
    body = b"".join(response.streaming_content).decode()
    assert body.startswith("#!/usr/bin/env python3")
    assert "def main()" in body


def test_workshop_page_loads_nothing_from_another_host(client, db):
    content = client.get(PAGE).content.decode()
    assert 'src="http' not in content
    assert '<link rel="stylesheet" href="http' not in content
