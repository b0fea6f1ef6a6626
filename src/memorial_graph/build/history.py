"""What changed since the previous release, and the history of every release so far.

The build hands this module the content hash of every record and claim it compiled
(`compile.Record`). Against the predecessor's `records.tsv` it works out the changelog:
claims and entities added, changed (their hash differs) and withdrawn, identifiers retired,
and which entity documents a harvester must fetch again (created, updated, deleted). It
writes three files into the release being built:

- `records.tsv`: this release's hashes, for the next build to diff against;
- `changes.json`: this release's changelog;
- `history.nq`: the predecessor's history graph plus this release (a `dcat:Dataset` and
  `prov:Entity` with its date, content hash, claim count and predecessor) and one node per
  change. The store serves it as the history graph, so a claim's history is one query.

The dataset itself (dataset.nq) stays a function of the inputs alone: the same inputs give
the same bytes whatever releases came before. Only these files depend on the chain.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from .. import namespaces as ns
from ..release import CHANGES, HISTORY, RECORDS, Release
from ..terms import XSD_DATETIME, XSD_INTEGER, iri, literal
from ..uris import Uris
from .compile import Record

DOCUMENT_KINDS = ("entity", "source")
CLAIM_EVENTS = {"added": "ClaimAdded", "changed": "ClaimChanged", "withdrawn": "ClaimWithdrawn"}
DOCUMENT_EVENTS = {"create": "Create", "update": "Update", "delete": "Delete"}


@dataclass(frozen=True)
class ReleaseInfo:
    id: str
    created: datetime
    sequence: int
    content_hash: str
    claims: int
    predecessor: str | None


def read_records(release: Release | None) -> dict[str, Record]:
    """id -> Record of a release (empty for none, or for a release made before records)."""
    if release is None or not release.artifact(RECORDS).exists():
        return {}
    out = {}
    with release.artifact(RECORDS).open(encoding="utf-8") as f:
        for line in f:
            kind, ident, digest, face, mentions = line.rstrip("\n").split("\t")
            out[ident] = Record(kind, ident, digest, face, tuple(mentions.split()))
    return out


def _diff(before: dict[str, Record], after: dict[str, Record], kinds: Iterable[str]) -> dict:
    kinds = set(kinds)
    old = {i: r for i, r in before.items() if r.kind in kinds}
    new = {i: r for i, r in after.items() if r.kind in kinds}
    return {"added": sorted(new.keys() - old.keys()),
            "changed": sorted(i for i in new.keys() & old.keys() if new[i].hash != old[i].hash),
            "withdrawn": sorted(old.keys() - new.keys())}


def changelog(before: dict[str, Record], after: dict[str, Record],
              retired_before: Iterable[str], retired_after: Iterable[str]) -> dict:
    """Claims and entities added, changed, withdrawn; ids retired; documents to fetch again.

    A document shows its record, the claims about it, and of the records those claims
    mention and of those mentioning it what `Record.face` covers (preferred names, a source's
    bibliographic data, a claim's links). So it is updated when its record changed, or the
    face of a record it shows or that shows it changed: the list may name a document whose
    bytes came out the same, never miss one that changed.
    """
    claims = _diff(before, after, ("claim",))
    entities = _diff(before, after, DOCUMENT_KINDS)
    retired = sorted(set(retired_after) - set(retired_before))
    shows: dict[str, set[str]] = defaultdict(set)   # id -> documents that show it
    affected: set[str] = set()
    # With no predecessor no document is updated: skip working out which ones would be.
    for r in after.values() if before else ():
        if r.kind in DOCUMENT_KINDS:
            for m in r.mentions:
                shows[m].add(r.id)
    for part in (claims, entities) if before else ():
        for ids in part.values():
            for ident in ids:
                affected.add(ident)
                old, new = before.get(ident), after.get(ident)
                if old is not None and new is not None and old.face == new.face:
                    if new.kind == "claim":
                        affected.add(new.mentions[0])   # only its subject shows all of it
                    continue
                for side in (old, new):
                    if side is not None:
                        affected.update(side.mentions)
                affected.update(shows.get(ident, ()))
    docs_before = {i for i, r in before.items() if r.kind in DOCUMENT_KINDS}
    docs_after = {i for i, r in after.items() if r.kind in DOCUMENT_KINDS}
    documents = {
        "create": sorted(docs_after - docs_before),
        "update": sorted(affected & docs_before & docs_after),
        "delete": sorted((docs_before - docs_after) | (set(retired) - docs_after)),
    }
    return {"claims": claims, "entities": entities, "retired": retired, "documents": documents}


def history_lines(info: ReleaseInfo, changes: dict, after: dict[str, Record],
                  uris: Uris) -> Iterator[str]:
    """This release's part of the history graph, as N-Quads lines, produced as they are
    written (a first release of a million claims has millions): the release, then each
    change's node, changes in a fixed order and identifiers sorted, so the same changes give
    the same lines."""
    graph = iri(uris.history_graph)
    release = iri(uris.release(info.id))
    AS, DCAT, DC, PROV, RDF, MG = ns.AS, ns.DCAT, ns.DCTERMS, ns.PROV, ns.RDF, ns.MG
    out: list[str] = []

    def add(s: str, p: str, o: str) -> None:
        out.append(f"{s} <{p}> {o} {graph} .\n")

    add(release, RDF + "type", iri(DCAT + "Dataset"))
    add(release, RDF + "type", iri(PROV + "Entity"))
    add(release, DC + "identifier", literal(info.id))
    add(release, DCAT + "version", literal(info.id))
    add(release, DC + "issued", literal(info.created.isoformat().replace("+00:00", "Z"),
                                        datatype=XSD_DATETIME))
    add(release, MG + "sequence", literal(str(info.sequence), datatype=XSD_INTEGER))
    add(release, MG + "contentHash", literal(info.content_hash))
    add(release, MG + "claimCount", literal(str(info.claims), datatype=XSD_INTEGER))
    add(release, DCAT + "isVersionOf", iri(uris.dataset))
    if info.predecessor:
        add(release, PROV + "wasRevisionOf", iri(uris.release(info.predecessor)))
        add(release, DCAT + "previousVersion", iri(uris.release(info.predecessor)))
    yield from out
    prefix = uris.release(info.id)
    tail = f" {graph} .\n"
    in_release = f" <{MG}inRelease> {release}{tail}"
    for change, cls in CLAIM_EVENTS.items():
        kind = f" <{RDF}type> <{MG}{cls}>{tail}"
        for ident in changes["claims"][change]:
            node = f"<{prefix}#claim-{ident}>"
            yield node + kind
            yield f"{node} <{AS}object> <{uris.entity(ident)}>{tail}"
            yield node + in_release
            if change != "withdrawn":
                yield f"{node} <{MG}contentHash> {literal(after[ident].hash)}{tail}"
    for change, cls in DOCUMENT_EVENTS.items():
        kind = f" <{RDF}type> <{AS}{cls}>{tail}"
        for ident in changes["documents"][change]:
            node = f"<{prefix}#doc-{ident}>"
            yield node + kind
            yield f"{node} <{AS}object> <{uris.entity(ident)}>{tail}"
            yield node + in_release


def write(directory: Path, info: ReleaseInfo, records: list[Record], retired: Iterable[str],
          predecessor: Release | None, uris: Uris) -> dict:
    """Write records.tsv, changes.json and history.nq into a release being built; return the
    changelog's counts for the manifest."""
    after = {r.id: r for r in records}
    before = read_records(predecessor)
    retired_before = predecessor.manifest.get("retired", {}) if predecessor else {}
    changes = changelog(before, after, retired_before, retired)
    with (directory / RECORDS).open("w", encoding="utf-8") as f:
        for r in sorted(records, key=lambda r: r.id):
            f.write(f"{r.kind}\t{r.id}\t{r.hash}\t{r.face}\t{' '.join(r.mentions)}\n")
    document = {"release": info.id, "predecessor": info.predecessor,
                "created": info.created.isoformat().replace("+00:00", "Z"), **changes}
    (directory / CHANGES).write_text(json.dumps(document, indent=1) + "\n", encoding="utf-8")
    with (directory / HISTORY).open("w", encoding="utf-8") as out:
        if predecessor is not None and predecessor.artifact(HISTORY).exists():
            with predecessor.artifact(HISTORY).open(encoding="utf-8") as f:
                for line in f:
                    out.write(line)
        lines: list[str] = []
        for line in history_lines(info, changes, after, uris):
            lines.append(line)
            if len(lines) >= 65_536:
                out.writelines(lines)
                lines.clear()
        out.writelines(lines)
    return summary(changes)


def summary(changes: dict) -> dict:
    """The counts of a changelog (for the manifest and the releases list)."""
    return {f"{part}_{k}": len(v) for part in ("claims", "entities", "documents")
            for k, v in changes[part].items()} | {"retired": len(changes["retired"])}
