"""Releases: immutable directories of artifacts, swapped in atomically.

Layout of `var/` (the state directory):

    var/releases/<release-id>/   dataset.nq, dataset.trig, dataset.ttl, dataset.jsonld,
                                 dataset.nq.gz, dataset.trig.gz, SHA256SUMS, manifest.json,
                                 queries/*.rq, store/ (pyoxigraph, RocksDB)
    var/current -> releases/<release-id>   (a symlink replaced with one rename)

A release is written under a temporary name and renamed into place only when complete, and the
`current` link is swapped with `os.replace`, so a serving process never sees half a build.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

MANIFEST = "manifest.json"
DUMP_FORMATS = {
    "nquads": ("dataset.nq", ox.RdfFormat.N_QUADS),
    "trig": ("dataset.trig", ox.RdfFormat.TRIG),
    "turtle": ("dataset.ttl", ox.RdfFormat.TURTLE),
    "jsonld": ("dataset.jsonld", ox.RdfFormat.JSON_LD),
}


@dataclass(frozen=True)
class Release:
    path: Path
    manifest: dict

    @property
    def id(self) -> str:
        return self.manifest["id"]

    @property
    def store_path(self) -> Path:
        return self.path / "store"

    def artifact(self, name: str) -> Path:
        return self.path / name


def sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def current(var_dir: Path) -> Release | None:
    """The release `var/current` points at, or None before the first build."""
    link = Path(var_dir) / "current"
    manifest = link / MANIFEST
    if not manifest.exists():
        return None
    path = link.resolve()
    return Release(path, json.loads(manifest.read_text(encoding="utf-8")))


class DatasetWriter:
    """dataset.nq written as it is compiled: counted and hashed on the way, never held whole."""

    def __init__(self, path: Path):
        self.path = path
        self.file = path.open("wb")
        self.digest = hashlib.sha256()
        self.lines = 0

    def write(self, text: str) -> None:
        data = text.encode("utf-8")
        self.digest.update(data)
        self.lines += data.count(b"\n")
        self.file.write(data)

    def close(self) -> str:
        self.file.close()
        return self.digest.hexdigest()


def new_release_dir(var_dir: Path) -> Path:
    """A fresh temporary directory under var/releases/ for a release being built."""
    releases = Path(var_dir) / "releases"
    releases.mkdir(parents=True, exist_ok=True)
    tmp = releases / f".tmp-{os.getpid()}-{os.urandom(4).hex()}"
    tmp.mkdir()
    return tmp


def gzip_copy(tmp: Path, name: str) -> str:
    """`name`.gz beside `name` (deterministic: no timestamp). Runs while the store loads:
    zlib and pyoxigraph's loader both release the GIL."""
    with (tmp / name).open("rb") as src, open(tmp / f"{name}.gz", "wb") as raw, \
            gzip.GzipFile(filename=name, mode="wb", fileobj=raw, mtime=0, compresslevel=6) as gz:
        shutil.copyfileobj(src, gz, 1 << 20)
    return f"{name}.gz"


def write_dumps(tmp: Path, prefixes: dict, all_formats: bool, progress=lambda msg: None) -> list[str]:
    """The other dumps beside dataset.nq: TriG (+ .gz), Turtle and JSON-LD when `all_formats`.
    Returns the file names written."""
    written: list[str] = []
    if all_formats:
        progress("writing TriG, Turtle and JSON-LD")
        quads = list(ox.parse(path=str(tmp / "dataset.nq"), format=ox.RdfFormat.N_QUADS))
        for name, fmt in (v for k, v in DUMP_FORMATS.items() if k != "nquads"):
            if fmt.supports_datasets:
                data = ox.serialize(quads, format=fmt, prefixes=prefixes)
            else:  # Turtle and JSON-LD: the union of the graphs (claims are plain nodes)
                triples = sorted({ox.Triple(q.subject, q.predicate, q.object) for q in quads},
                                 key=str)
                data = ox.serialize(triples, format=fmt, prefixes=prefixes) \
                    if fmt != ox.RdfFormat.JSON_LD else ox.serialize(triples, format=fmt)
            (tmp / name).write_bytes(data)
            written.append(name)
        del quads
        written.append(gzip_copy(tmp, "dataset.trig"))
    return written


def finish_release(var_dir: Path, tmp: Path, release_id: str, manifest: dict,
                   queries_dir: Path | None, known_sums: dict[str, str] | None = None) -> Release:
    """Checksums, manifest, then rename into place and swap `current` (each step atomic)."""
    var_dir = Path(var_dir)
    if queries_dir and Path(queries_dir).is_dir():
        (tmp / "queries").mkdir(exist_ok=True)
        for rq in sorted(Path(queries_dir).glob("*.rq")):
            shutil.copy2(rq, tmp / "queries" / rq.name)
    sums = {}
    for path in sorted(tmp.iterdir()):
        if path.is_file():
            sums[path.name] = (known_sums or {}).get(path.name) or sha256(path)
    (tmp / "SHA256SUMS").write_text(
        "".join(f"{digest}  {name}\n" for name, digest in sums.items()), encoding="utf-8")
    manifest = dict(manifest, id=release_id, checksums=sums)
    (tmp / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n",
                                encoding="utf-8")
    final = var_dir / "releases" / release_id
    if final.exists():
        shutil.rmtree(final)
    os.rename(tmp, final)
    link_tmp = var_dir / f".current-{os.getpid()}"
    if link_tmp.is_symlink() or link_tmp.exists():
        link_tmp.unlink()
    os.symlink(Path("releases") / release_id, link_tmp)
    os.replace(link_tmp, var_dir / "current")
    return Release(final, manifest)
