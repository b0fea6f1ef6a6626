"""Collection statistics: entities by type, claims, sources, claims per source, disagreements."""

from __future__ import annotations

from . import namespaces as ns
from .entity_classes import EntityClasses
from .queries import load
from .saved_queries import SavedQuery


def collect(store, saved: dict[str, SavedQuery]) -> dict:
    types = {ns.compact(r["class"].value): int(r["count"].value)
             for r in store.select(load("stats-types"))}
    per_source = [(r["source"].value, r["title"].value if "title" in r else "",
                   int(r["claims"].value))
                  for r in store.select(saved["claims-per-source"].text)]
    citations = store.select(load("stats-citations"))[0]
    # The pairs the `disagreements` saved query lists: the same definition the pages use.
    pairs = {(r["claimA"].value, r["claimB"].value)
             for r in store.select(saved["disagreements"].text)}
    return {
        "types": types,
        "claims": types.get("mg:Claim", 0),
        "sources": sum(v for k, v in types.items()
                       if k in {f"mg:{c}" for c in EntityClasses.from_store(store).sources}),
        "claims_per_source": per_source,
        "claims_citing_several": int(citations["several"].value) if "several" in citations else 0,
        "editors_labels": int(citations["none"].value) if "none" in citations else 0,
        "disagreements": len(pairs),
        "triples": len(store),
    }


def format_text(report: dict) -> str:
    lines = ["Entities and records by type:"]
    lines += [f"  {count:8d}  {cls}" for cls, count in report["types"].items()]
    lines.append(f"Claims: {report['claims']}")
    lines.append(f"Sources: {report['sources']}")
    lines.append("Claims per source:")
    lines += [f"  {n:8d}  {title or iri}  <{iri}>" for iri, title, n in report["claims_per_source"]]
    cited = report["claims"] - report["editors_labels"]
    total = sum(n for _iri, _title, n in report["claims_per_source"])
    lines.append(f"  (a claim citing two sources counts for both: {report['claims_citing_several']} "
                 f"claims cite more than one source, so these add up to {total} for the "
                 f"{cited} claims that cite a source)")
    lines.append(f"Labels given by the editors, citing no source: {report['editors_labels']}")
    lines.append(f"Pairs of claims where sources disagree: {report['disagreements']}")
    lines.append(f"Quads in the store: {report['triples']}")
    return "\n".join(lines)
