"""Defect (issue 9): "Invalid UTF-8 in a GET or form `query` is accepted."

A parameter whose bytes are not UTF-8 is refused with 400, in the URL and in a form body,
instead of being decoded with replacement characters and answered as another question."""

from __future__ import annotations

import urllib.error
import urllib.request

import pytest

from tests.server import running_server


def test_invalid_utf8_in_a_parameter_is_a_400(built):
    config, _ = built
    with running_server(config.project_dir) as base:
        with pytest.raises(urllib.error.HTTPError) as get:
            urllib.request.urlopen(f"{base}/sparql?query=ASK%20%7B%20FILTER(%22%FF%22)%20%7D",
                                   timeout=10)
        assert get.value.code == 400 and "UTF-8" in get.value.read().decode()
        form = urllib.request.Request(f"{base}/sparql", data=b"query=ASK+%7B%7D%C3",
                                      headers={"Content-Type": "application/x-www-form-urlencoded"})
        with pytest.raises(urllib.error.HTTPError) as post:
            urllib.request.urlopen(form, timeout=10)
        assert post.value.code == 400
        good = urllib.request.Request(f"{base}/sparql", data=b"query=ASK+%7B+FILTER(%22%C3%A7%22)+%7D",
                                      headers={"Content-Type": "application/x-www-form-urlencoded"})
        with urllib.request.urlopen(good, timeout=10) as r:
            assert b"true" in r.read()
