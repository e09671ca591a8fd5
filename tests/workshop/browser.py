"""What the workshop's browser tests share: Chromium, the screens, the screenshots."""

from tests.chromium import ARTIFACTS

PHONE = {"width": 390, "height": 844}
PROJECTOR = {"width": 1280, "height": 720}
LAPTOP = {"width": 1280, "height": 900}


def save(page, name: str, *, full_page: bool = True) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / f"workshop-{name}.png", full_page=full_page)
