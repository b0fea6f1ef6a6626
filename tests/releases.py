"""What the tests of release switching share: another release made current while a site
serves, and the site's once-a-second look at var/current driven by a clock of the test's."""

from __future__ import annotations

import json
import os
import shutil
import types
from collections.abc import Callable
from pathlib import Path

from memorial_graph.config import Config
from memorial_graph.release import CURRENT, MANIFEST, RELEASES
from memorial_graph.web import snapshot as snapshot_module


def make_current(config: Config, ident: str) -> None:
    link = Path(config.var_dir) / CURRENT
    tmp = link.with_name(".current-tmp")
    os.symlink(Path(RELEASES) / ident, tmp)
    os.replace(tmp, link)


def another_release(config: Config, first, name: str,
                    edit: Callable[[Path], None] | None = None) -> str:
    """A copy of the release `first` under another id (`edit(path)` changes it first), made
    current; its id."""
    ident = f"{first.id}-{name}"
    path = Path(config.var_dir) / RELEASES / ident
    shutil.copytree(first.path, path)
    manifest = json.loads((path / MANIFEST).read_text(encoding="utf-8"))
    (path / MANIFEST).write_text(json.dumps(dict(manifest, id=ident)), encoding="utf-8")
    if edit is not None:
        edit(path)
    make_current(config, ident)
    return ident


def site_clock(monkeypatch) -> list[float]:
    """The site's clock, as a list whose one value the test moves on."""
    clock = [1000.0]
    monkeypatch.setattr(snapshot_module, "time", types.SimpleNamespace(
        monotonic=lambda: clock[0]))
    return clock
