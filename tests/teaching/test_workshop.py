"""/workshop/ renders docs/workshop.md itself: one source for the room and the tests."""

from django.urls import reverse

from tests.workshop.handout import steps


def test_workshop_page_renders_every_lesson_and_command(client, db):
    response = client.get(reverse("workshop-page"))
    assert response.status_code == 200
    content = response.content.decode()
    for number in range(1, 11):
        assert f"Lesson {number}:" in content
    assert content.count("<pre>") >= len(steps())
    assert "<details>" in content
    assert "<summary>Solution</summary>" in content
    assert "js/workshop.js" in content
    assert 'id="lesson-5-forgeries-fail"' in content


def test_workshop_page_loads_nothing_from_another_host(client, db):
    content = client.get(reverse("workshop-page")).content.decode()
    assert 'src="http' not in content
    assert '<link rel="stylesheet" href="http' not in content
