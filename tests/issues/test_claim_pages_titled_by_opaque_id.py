"""Issue 10, item 14: 'claim pages titled by their opaque id ("mvrb6zm") — title a claim by
what it states ("number killed: 613 — Khojaly massacre").'"""

from __future__ import annotations

import re

from tests.issues.conftest import page, text


def title_and_heading(html: str) -> tuple[str, str]:
    return (text(re.search(r"<title>(.*?)</title>", html, re.S).group(1)),
            text(re.search(r'<h1 id="title">(.*?)</h1>', html, re.S).group(1)))


def test_a_claim_page_is_titled_by_what_it_states(client):
    title, heading = title_and_heading(page(client, "w2kwyam"))
    assert heading == "number killed: 613 — Khojaly massacre"
    assert title.startswith(heading)


def test_qualifiers_and_names_are_part_of_the_title(client):
    assert title_and_heading(page(client, "xm3vxk9"))[1] == \
        "number killed: 106 (applies to part: women) — Khojaly massacre"
    assert title_and_heading(page(client, "mvrb6zm"))[1] == "preferred name: Ana harayı — Mother's Cry"


def test_no_opaque_id_is_shown_as_a_claim_s_name(client):
    html = page(client, "rn983p4")
    assert not re.search(r">\s*claim [a-z0-9]{7}\s*<", html)
