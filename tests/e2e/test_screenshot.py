"""The README's picture: two people on one list. `make screenshot` refreshes docs/screenshot.png."""

import os
from pathlib import Path

from PIL import Image

README_SCREENSHOT = Path(__file__).resolve().parents[2] / "docs" / "screenshot.png"


def test_two_browsers_on_one_list(alice, bob, make_list, tmp_path):
    title = "Weekend trip"
    make_list(title, items=["Book the train", "Pack the tent", "Buy snacks"])
    for user in (alice, bob):
        user.page.set_viewport_size({"width": 560, "height": 620})
    alice.open_list(title)
    bob.open_list(title)

    alice.toggle_item("Book the train")
    bob.add_item("Charge the camera")
    alice.expect_items("Book the train", "Pack the tent", "Buy snacks", "Charge the camera")
    bob.expect_done("Book the train")
    bob.page.get_by_role("textbox", name="New item").fill("Check the weather")

    shots = []
    for user in (alice, bob):
        user.page.screenshot(path=tmp_path / f"{user.name}.png")
        shots.append(Image.open(tmp_path / f"{user.name}.png"))
    gap = 16
    picture = Image.new("RGB", (sum(s.width for s in shots) + gap, max(s.height for s in shots)), "#8a93a3")
    picture.paste(shots[0], (0, 0))
    picture.paste(shots[1], (shots[0].width + gap, 0))
    picture.save(tmp_path / "screenshot.png")
    if os.environ.get("UPDATE_SCREENSHOT"):
        picture.save(README_SCREENSHOT)
