"""One real server (gunicorn over the built collection) shared by the regression tests."""

from __future__ import annotations

import pytest

from tests.server import running_server


@pytest.fixture(scope="session")
def live(built):
    """The base URL of a real `memorial-graph serve` over the session's release."""
    config, _release = built
    with running_server(config.project_dir) as base:
        yield base
