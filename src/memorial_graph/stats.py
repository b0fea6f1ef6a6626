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
    disagreements = store.select(saved["disagreements"].text)
    return {
        "types": types,
        "claims": types.get("mg:Claim", 0),
        "sources": sum(v for k, v in types.items()
                       if k in {f"mg:{c}" for c in EntityClasses.from_store(store).sources}),
        "claims_per_source": per_source,
        "disagreements": len(disagreements),
        "triples": len(store),
    }


def format_text(report: dict) -> str:
    lines = ["Entities and records by type:"]
    lines += [f"  {count:8d}  {cls}" for cls, count in report["types"].items()]
    lines.append(f"Claims: {report['claims']}")
    lines.append(f"Sources: {report['sources']}")
    lines.append("Claims per source:")
    lines += [f"  {n:8d}  {title or iri}  <{iri}>" for iri, title, n in report["claims_per_source"]]
    lines.append(f"Pairs of claims where sources disagree: {report['disagreements']}")
    lines.append(f"Quads in the store: {report['triples']}")
    return "\n".join(lines)
