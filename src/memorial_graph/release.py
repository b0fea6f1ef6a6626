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
GZIPPED = ("dataset.nq", "dataset.trig")


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


def sorted_nquads(quads: list[ox.Quad]) -> bytes:
    """Canonical bytes of the dataset: one N-Quads line per quad, sorted, no blank nodes."""
    lines = {str(q) + " .\n" for q in quads}
    return "".join(sorted(lines)).encode("utf-8")


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


def write_release(var_dir: Path, release_id: str, nquads: bytes, manifest: dict,
                  queries_dir: Path | None, progress=lambda msg: None) -> Release:
    """Write every artifact of a release, load its store, then make it current atomically."""
    var_dir = Path(var_dir)
    releases = var_dir / "releases"
    releases.mkdir(parents=True, exist_ok=True)
    final = releases / release_id
    tmp = releases / f".tmp-{release_id}-{os.getpid()}"
    if tmp.exists():
        shutil.rmtree(tmp)
    tmp.mkdir()
    try:
        (tmp / "dataset.nq").write_bytes(nquads)
        progress("writing TriG, Turtle and JSON-LD")
        quads = list(ox.parse(nquads, format=ox.RdfFormat.N_QUADS))
        prefixes = manifest.get("prefixes", {})
        for name, fmt in (v for k, v in DUMP_FORMATS.items() if k != "nquads"):
            if fmt.supports_datasets:
                data = ox.serialize(quads, format=fmt, prefixes=prefixes)
            else:  # Turtle and JSON-LD: the union of the graphs (claims are plain nodes)
                triples = sorted({ox.Triple(q.subject, q.predicate, q.object) for q in quads},
                                 key=str)
                data = ox.serialize(triples, format=fmt, prefixes=prefixes) \
                    if fmt != ox.RdfFormat.JSON_LD else ox.serialize(triples, format=fmt)
            (tmp / name).write_bytes(data)
        for name in GZIPPED:
            with (tmp / name).open("rb") as src, open(tmp / f"{name}.gz", "wb") as raw, \
                    gzip.GzipFile(filename=name, mode="wb", fileobj=raw, mtime=0) as gz:
                shutil.copyfileobj(src, gz)
        if queries_dir and Path(queries_dir).is_dir():
            (tmp / "queries").mkdir()
            for rq in sorted(Path(queries_dir).glob("*.rq")):
                shutil.copy2(rq, tmp / "queries" / rq.name)
        progress(f"loading {len(quads):,} quads into the store")
        store = ox.Store(str(tmp / "store"))
        store.bulk_load(nquads, format=ox.RdfFormat.N_QUADS)
        store.optimize()
        store.flush()
        del store
        sums = {}
        for path in sorted(tmp.iterdir()):
            if path.is_file():
                sums[path.name] = sha256(path)
        (tmp / "SHA256SUMS").write_text(
            "".join(f"{digest}  {name}\n" for name, digest in sums.items()), encoding="utf-8")
        manifest = dict(manifest, id=release_id, checksums=sums)
        (tmp / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n",
                                    encoding="utf-8")
        if final.exists():
            shutil.rmtree(final)
        os.rename(tmp, final)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    link_tmp = var_dir / f".current-{os.getpid()}"
    if link_tmp.is_symlink() or link_tmp.exists():
        link_tmp.unlink()
    os.symlink(Path("releases") / release_id, link_tmp)
    os.replace(link_tmp, var_dir / "current")
    return Release(final, manifest)

