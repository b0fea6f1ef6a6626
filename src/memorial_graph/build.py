"""The build: authoring files -> RDF -> SHACL gate -> OWL gate -> release -> store.

Each step either succeeds or raises; nothing is written to `var/current` until every gate
has passed, so a failed build leaves the previous release serving.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pyoxigraph as ox
import rdflib
import rdflib.compare
from rdflib.namespace import OWL, RDF

from . import __version__
from . import namespaces as ns
from .authoring import load_collection
from .checks import check_consistency, load_graph, quads_to_rdflib, shacl_violations, to_ox
from .compile import Compiled, compile_collection
from .config import Config
from .errors import ValidationFailed
from .fastshacl import FastValidator
from .release import Release, current, sorted_nquads, write_release
from .uris import Uris

Progress = Callable[[str], None]


@dataclass
class Checked:
    compiled: Compiled
    ontology_quads: list[ox.Quad]
    violations: list
    meta: dict


def input_digest(config: Config) -> str:
    """A hash of everything a build reads, so `build --if-changed` can skip unchanged input."""
    h = hashlib.sha256(__version__.encode() + config.base_uri.encode())
    paths = [config.ontology_path, config.shapes_path]
    paths += sorted(config.data_dir.rglob("*.yaml")) if config.data_dir.is_dir() else []
    paths += sorted(config.queries_dir.glob("*.rq")) if config.queries_dir.is_dir() else []
    if config.seeds_dir and Path(config.seeds_dir).is_dir():
        paths += sorted(Path(config.seeds_dir).glob("*.txt"))
    for path in paths:
        h.update(path.name.encode() + b"\0")
        h.update(path.read_bytes() + b"\0")
    return h.hexdigest()


def known_properties(ontology: rdflib.Graph) -> set[str]:
    kinds = (OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)
    return {str(s) for kind in kinds for s in ontology.subjects(RDF.type, kind)}


def ontology_quads(path: Path, graph_iri: str) -> list[ox.Quad]:
    """The ontology as quads in its own graph; blank nodes canonically labelled (deterministic)."""
    canonical = rdflib.compare.to_canonical_graph(load_graph(path))
    graph = ox.NamedNode(graph_iri)
    return [ox.Quad(to_ox(s), to_ox(p), to_ox(o), graph) for s, p, o in canonical]


def owl_sample(quads: list[ox.Quad], max_claims: int) -> tuple[list[ox.Quad], str]:
    """The data HermiT reasons over: everything, or for a large archive a deterministic sample.

    HermiT needs minutes per 100k triples, so above `max_claims` claims it checks the ontology
    together with every `k`-th claim (by IRI), each with its value, qualifier and evidence
    nodes, plus all triples of the entities and sources those claims mention. Every other
    record is still checked by SHACL; the manifest states which check ran.
    """
    claim_type = ox.NamedNode(ns.MG + "Claim")
    rdf_type = ox.NamedNode(ns.RDF + "type")
    claims = sorted({q.subject.value for q in quads
                     if q.predicate == rdf_type and q.object == claim_type})
    if len(claims) <= max_claims:
        return quads, "the whole collection"
    step = -(-len(claims) // max_claims)
    chosen = set(claims[::step])
    by_subject: dict[str, list[ox.Quad]] = {}
    for q in quads:
        by_subject.setdefault(q.subject.value.split("#", 1)[0], []).append(q)
    keep: set[str] = set(chosen)
    for claim in chosen:
        for q in by_subject.get(claim, ()):
            if isinstance(q.object, ox.NamedNode):
                keep.add(q.object.value.split("#", 1)[0])
    sample = [q for subject in sorted(keep) for q in by_subject.get(subject, ())]
    return sample, (f"a sample of {len(chosen):,} of {len(claims):,} claims "
                    f"(every {step}th) with the records they mention, {len(sample):,} triples")


def meta_quads(meta: dict, uris: Uris) -> list[ox.Quad]:
    """The collection's description, in its own graph, so any store can serve it."""
    graph = ox.NamedNode(uris.meta_graph)
    ds = ox.NamedNode(uris.dataset)
    out = [ox.Quad(ds, ox.NamedNode(ns.RDF + "type"), ox.NamedNode(ns.VOID + "Dataset"), graph)]
    for key, pred in (("title", "title"), ("description", "description"),
                      ("publisher", "publisher")):
        if meta.get(key):
            out.append(ox.Quad(ds, ox.NamedNode(ns.DCTERMS + pred),
                               ox.Literal(str(meta[key]).strip(), language="en"), graph))
    if meta.get("license"):
        out.append(ox.Quad(ds, ox.NamedNode(ns.DCTERMS + "license"),
                           ox.NamedNode(meta["license"]), graph))
    for example in meta.get("examples", []):
        out.append(ox.Quad(ds, ox.NamedNode(ns.VOID + "exampleResource"),
                           ox.NamedNode(example), graph))
    return out


def check(config: Config, progress: Progress = lambda m: None) -> Checked:
    """Read, compile and validate; return the violations (empty when the collection conforms)."""
    uris = Uris(config.base_uri)
    progress("reading the ontology and shapes")
    ontology = load_graph(config.ontology_path)
    shapes = load_graph(config.shapes_path)
    progress(f"reading authoring files under {config.data_dir}")
    collection = load_collection(config.data_dir)
    progress(f"compiling {len(collection.entities)} entities and "
             f"{sum(1 for _ in collection.claims())} claims")
    compiled = compile_collection(collection, uris, known_properties(ontology), config.seeds_dir)
    for rid, (successor, _reason) in sorted(compiled.retired.items()):
        node = ox.NamedNode(uris.entity(rid))
        compiled.quads.append(ox.Quad(node, ox.NamedNode(ns.OWL + "deprecated"),
                                      ox.Literal("true", datatype=ox.NamedNode(ns.XSD + "boolean")),
                                      compiled.graph))
        if successor:
            compiled.quads.append(ox.Quad(node, ox.NamedNode(ns.DCTERMS + "isReplacedBy"),
                                          ox.NamedNode(uris.entity(successor)), compiled.graph))
    onto_quads = ontology_quads(config.ontology_path, uris.ontology_graph)
    progress(f"validating {len(compiled.quads):,} triples against the SHACL shapes "
             f"({config.validator} validator)")
    if config.validator == "pyshacl":
        violations = shacl_violations(quads_to_rdflib(compiled.quads), shapes, ontology)
    else:
        store = ox.Store()
        store.bulk_extend(compiled.quads)
        store.bulk_extend(onto_quads)
        violations = FastValidator(shapes).validate(store)
        del store
    meta = dict(collection.meta)
    meta["examples"] = [uris.entity(e) for e in meta.get("examples", [])]
    return Checked(compiled, onto_quads, violations, meta)


def build(config: Config, progress: Progress = lambda m: None,
          if_changed: bool = False) -> Release:
    """Build a release and make it current; raise (changing nothing) on any error."""
    started = time.monotonic()
    digest = input_digest(config)
    existing = current(config.var_dir)
    if if_changed and existing and existing.manifest.get("input_digest") == digest:
        progress(f"unchanged since release {existing.id}; nothing to do")
        return existing
    checked = check(config, progress)
    errors = [v for v in checked.violations if v.severity == "Violation"]
    if errors:
        raise ValidationFailed([(None, v.describe(checked.compiled.locations)) for v in errors])
    quads = checked.compiled.quads + checked.ontology_quads + \
        meta_quads(checked.meta, Uris(config.base_uri))
    nquads = sorted_nquads(quads)
    owl_quads, owl_scope = owl_sample(checked.compiled.quads, config.owl_sample_claims)
    progress(f"checking OWL consistency with HermiT: ontology + {owl_scope}")
    data_nt = ox.serialize((ox.Triple(q.subject, q.predicate, q.object) for q in owl_quads),
                           format=ox.RdfFormat.N_TRIPLES)
    check_consistency(data_nt, config.ontology_path)
    now = datetime.now(UTC).replace(microsecond=0)
    content = hashlib.sha256(nquads).hexdigest()
    release_id = f"{now:%Y%m%dT%H%M%SZ}-{content[:8]}"
    manifest = {
        "created": now.isoformat().replace("+00:00", "Z"),
        "content_sha256": content,
        "input_digest": digest,
        "software_version": __version__,
        "base_uri": config.base_uri,
        "collection": checked.meta,
        "retired": {rid: {"successor": s, "reason": r}
                    for rid, (s, r) in sorted(checked.compiled.retired.items())},
        "quads": len(set(nquads.splitlines())),
        "owl_check": owl_scope,
        "prefixes": {k: v for k, v in ns.PREFIXES.items()} | {"id": Uris(config.base_uri).entity("")},
    }
    release = write_release(config.var_dir, release_id, nquads, manifest, config.queries_dir,
                            progress)
    progress(f"release {release.id} is current ({time.monotonic() - started:.1f} s)")
    return release
