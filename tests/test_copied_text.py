"""Cite, never copy: no 8-word run of a source document appears anywhere in the project."""

import subprocess

import pytest

from tests.conftest import ROOT

CHECK = ROOT.parent / "shared" / "tools" / "check-no-copied-text"


def test_no_source_sentence_is_copied():
    if not CHECK.exists():  # pragma: no cover - the shared tools sit beside every checkout
        pytest.fail(f"{CHECK} is missing: the copied-text check cannot run")
    result = subprocess.run([str(CHECK), str(ROOT)], capture_output=True, text=True, timeout=60)
    assert result.stdout.strip() == "", result.stdout
