"""axe-core (WCAG 2 A/AA rules) finds nothing on the pages, light and dark, with live content."""

import pytest
from axe_playwright_python.sync_playwright import Axe


def violations(page):
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21aa"]}})
    return [(v["id"], v["help"], [node["target"] for node in v["nodes"]]) for v in results.response["violations"]]


@pytest.mark.parametrize("color_scheme", ["light", "dark"])
def test_the_pages_have_no_accessibility_violations(alice, make_list, unique, color_scheme):
    title = unique("Accessible")
    make_list(title, items=["Read the guidelines", "Check contrast"])
    alice.page.emulate_media(color_scheme=color_scheme)

    alice.open_index()
    assert violations(alice.page) == []

    alice.open_list(title)
    alice.toggle_item("Check contrast")
    alice.expect_done("Check contrast")
    alice.add_item("   ")
    alice.expect_error("Please enter a title")
    alice.page.get_by_role("button", name="Edit Read the guidelines").click()
    assert violations(alice.page) == []
