"""What the workshop's browser tests share: Chromium, the screens, the screenshots."""

from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run"]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
PHONE = {"width": 390, "height": 844}
PROJECTOR = {"width": 1280, "height": 720}
LAPTOP = {"width": 1280, "height": 900}
# Chromium reports a 4xx on the console; the login page's own requests may get one.
EXPECTED_REFUSAL = "Failed to load resource: the server responded with a status of 40"


def save(page, name: str, *, full_page: bool = True) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / f"workshop-{name}.png", full_page=full_page)
