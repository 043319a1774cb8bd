"""HR's home on the phone: the actions come first and the workers per skill level take a compact
two-column grid (not eight tall cards); at the desk the table is back (tryout finding)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import login_through_form, screenshot
from tests.factories import PASSWORD

pytestmark = pytest.mark.e2e


def test_hr_home_shows_skill_counts_compactly_on_the_phone(page, world):
    page.set_viewport_size({"width": 390, "height": 844})
    login_through_form(page, world.hr_a.username, PASSWORD)
    page.wait_for_url("**/")
    grid, table = page.get_by_test_id("hr-levels-grid"), page.get_by_test_id("hr-levels-table")
    expect(grid).to_be_visible()
    expect(table).to_be_hidden()
    box = grid.bounding_box()
    assert box["height"] < 250, box  # 4 rows of 44 px, where the cards took ~900 px
    create = page.get_by_role("link", name="新建职工账号").bounding_box()
    assert create["y"] < box["y"]  # actions first
    screenshot(page, "home-hr-levels-390")
    page.set_viewport_size({"width": 1280, "height": 800})
    expect(table).to_be_visible()
    expect(grid).to_be_hidden()
