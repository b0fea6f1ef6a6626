"""Issue 12, item 4: "The interface is English only, for a memorial in Baku whose sources and
readers are largely Azerbaijani-speaking; with `Accept-Language: az` only the title changes."
A real Chromium whose language is Azerbaijani gets the navigation, search box, headings and
footer in Azerbaijani (and `<html lang="az">`); an English one still gets English."""

from __future__ import annotations

import shutil

import pytest
from playwright.sync_api import sync_playwright

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="module")
def chromium():
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=FLAGS, headless=True)
        yield browser
        browser.close()


def open_home(chromium, live, accept_language):
    context = chromium.new_context(extra_http_headers={"Accept-Language": accept_language})
    page = context.new_page()
    response = page.goto(live + "/")
    return context, page, response


def test_an_azerbaijani_reader_gets_the_interface_in_azerbaijani(live, chromium):
    context, page, response = open_home(chromium, live, "az")
    try:
        main_nav = page.get_by_role("navigation").first
        assert main_nav.get_by_role("link").all_inner_texts() == [
            "Abidələr", "Hadisələr", "Şəxslər", "Qruplar", "Yerlər", "Mənbələr", "Sorğu"]
        assert page.get_by_role("button", name="Axtarış").count() == 1
        assert page.get_by_role("heading", name="Bu kolleksiyada").count() == 1
        assert page.get_by_role("heading", name="Xronologiya").count() == 1
        assert page.get_by_role("link", name="Saxlanmış sorğular").count() == 1
        assert page.get_by_text("Skip to content").count() == 0
        assert page.locator("html").get_attribute("lang") == "az"
        assert response.headers["content-language"] == "az"
    finally:
        context.close()


def test_an_english_reader_still_gets_english(live, chromium):
    context, page, response = open_home(chromium, live, "en-GB,en;q=0.8")
    try:
        main_nav = page.get_by_role("navigation").first
        assert main_nav.get_by_role("link").first.inner_text() == "Monuments"
        assert page.get_by_role("heading", name="In this collection").count() == 1
        assert page.locator("html").get_attribute("lang") == "en"
    finally:
        context.close()
