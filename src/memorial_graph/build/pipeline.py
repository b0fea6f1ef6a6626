"""The build: authoring files -> RDF -> SHACL gate -> OWL gate -> release -> store.

Each step either succeeds or raises; nothing is written to `var/current` until every gate
has passed, so a failed build leaves the previous release serving.
"""

from __future__ import annotations

import gc
import hashlib
import shutil
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pyoxigraph as ox
import rdflib
import rdflib.compare
from rdflib.namespace import OWL, RDF

from .. import __version__
from .. import namespaces as ns
from ..config import Config
from ..entity_classes import EntityClasses
from ..errors import DataError, ValidationFailed
from ..release import CHANGES, HISTORY, SEARCH_INDEX, Release, current
from ..uris import Uris
from ..value_kinds import VALUE_PROPERTY, ontology_mismatches
from . import history
from .artifacts import DatasetWriter, finish_release, gzip_copy, new_release_dir, write_dumps
from .authoring import StreamedCollection, load_collection
from .compile import Compiled, compile_collection, locate
from .fast_shacl import FastValidator
from .owl import check_consistency
from .partitioned_shacl import PartitionedValidator
from .search_index import SearchIndexWriter
from .shacl import load_graph, quads_to_rdflib, shacl_violations, to_ox
from .store_loader import StoreLoader

Progress = Callable[[str], None]


ALL_DUMP_FORMATS_UP_TO = 1_000_000  # quads; larger releases publish N-Quads (+ gzip) only


@dataclass
class Checked:
    compiled: Compiled
    ontology: Ontology
    violations: list
    meta: dict


def input_digest(config: Config) -> str:
    """A hash of everything a build reads, so `build --if-changed` can skip unchanged input."""
    h = hashlib.sha256(__version__.encode() + config.base_uri.encode())
    paths = [config.ontology_path, config.shapes_path]
    paths += sorted(config.data_dir.rglob("*.yaml")) if config.data_dir.is_dir() else []
    paths += sorted(config.data_dir.rglob("*.jsonl")) if config.data_dir.is_dir() else []
    paths += sorted(config.queries_dir.glob("*.rq")) if config.queries_dir.is_dir() else []
    for path in paths:
        h.update(path.name.encode() + b"\0")
        with path.open("rb") as f:
            while chunk := f.read(1 << 20):
                h.update(chunk)
        h.update(b"\0")
    return h.hexdigest()


def known_properties(ontology: rdflib.Graph) -> set[str]:
    kinds = (OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)
    return {str(s) for kind in kinds for s in ontology.subjects(RDF.type, kind)}


@dataclass
class Ontology:
    """The ontology and the shapes, each parsed once per build."""

    graph: rdflib.Graph
    shapes: rdflib.Graph
    shapes_path: Path

    @classmethod
    def read(cls, config: Config) -> Ontology:
        return cls.from_files(config.ontology_path, config.shapes_path)

    @classmethod
    def from_files(cls, ontology_path: Path, shapes_path: Path) -> Ontology:
        ontology = cls(load_graph(ontology_path), load_graph(shapes_path), shapes_path)
        annotations = {str(s): str(o) for s, o in
                       ontology.graph.subject_objects(rdflib.URIRef(VALUE_PROPERTY))}
        mismatches = ontology_mismatches(annotations)
        if mismatches:
            raise DataError([(None, m) for m in mismatches])
        return ontology

    def quads(self, graph_iri: str) -> list[ox.Quad]:
        """The ontology in its own graph; blank nodes canonically labelled (deterministic)."""
        canonical = rdflib.compare.to_canonical_graph(self.graph)
        graph = ox.NamedNode(graph_iri)
        return [ox.Quad(to_ox(s), to_ox(p), to_ox(o), graph) for s, p, o in canonical]

    def ntriples(self) -> bytes:
        return self.graph.serialize(format="nt", encoding="utf-8")

    @property
    def classes(self) -> EntityClasses:
        return EntityClasses.from_graph(self.graph)


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
    editors = meta.get("editors") or []
    for editor in [editors] if isinstance(editors, str) else editors:
        out.append(ox.Quad(ds, ox.NamedNode(ns.SCHEMA + "editor"), ox.Literal(str(editor).strip()), graph))
    for example in meta.get("examples", []):
        out.append(ox.Quad(ds, ox.NamedNode(ns.VOID + "exampleResource"),
                           ox.NamedNode(example), graph))
    return out


def _nquads(quads: list[ox.Quad]) -> str:
    return "".join(sorted({str(q) + " .\n" for q in quads}))


def _compile(config: Config, ontology: Ontology, progress: Progress, sink=None,
             on_sources=None, on_collection=None) -> tuple[Compiled, dict]:
    """Compile the collection: held in memory without a sink (`check`), streamed in two
    passes with one (`build`: the entities are read again as they are compiled)."""
    uris = Uris(config.base_uri)
    progress(f"reading authoring files under {config.data_dir}")
    if sink is None:
        collection = load_collection(config.data_dir)
        entities, claims = len(collection.entities), sum(len(e.claims) for e in collection.entities)
    else:
        collection = StreamedCollection(config.data_dir)
        entities, claims = collection.entity_count, collection.index.claims
    if on_collection is not None:
        collection = on_collection(collection)
    progress(f"compiling {entities:,} entities and {claims:,} claims")
    compiled = compile_collection(collection, uris, ontology.classes,
                                  known_properties(ontology.graph), sink=sink,
                                  owl_whole_up_to=config.owl_whole_collection_up_to,
                                  owl_sample_claims=config.owl_sample_claims,
                                  on_sources=on_sources)
    if sink is None:
        compiled.locations = locate(collection, uris)
    meta = dict(collection.meta)
    meta["examples"] = [uris.entity(e) for e in meta.get("examples", [])]
    return compiled, meta


def _validate(config: Config, store: ox.Store, ontology: Ontology, progress: Progress) -> list:
    progress(f"validating {len(store):,} triples against the SHACL shapes "
             f"({config.validator} validator)")
    if config.validator == "pyshacl":
        graph = ox.NamedNode(Uris(config.base_uri).collection_graph)
        return shacl_violations(quads_to_rdflib(list(store.quads_for_pattern(None, None, None, graph))),
                                ontology.shapes, ontology.graph)
    return FastValidator(ontology.shapes).validate(store)


def check(config: Config, progress: Progress = lambda m: None) -> Checked:
    """Read, compile and validate in memory; return the violations (empty when it conforms)."""
    progress("reading the ontology and shapes")
    ontology = Ontology.read(config)
    compiled, meta = _compile(config, ontology, progress)
    onto_quads = ontology.quads(Uris(config.base_uri).ontology_graph)
    store = ox.Store()
    store.bulk_load("".join(compiled.chunks or ()).encode("utf-8"), format=ox.RdfFormat.N_QUADS)
    store.bulk_extend(onto_quads)
    violations = _validate(config, store, ontology, progress)
    return Checked(compiled, ontology, violations, meta)


def check_owl(checked: Checked) -> None:
    """HermiT on the ontology plus the compiled sample (raise if inconsistent)."""
    check_consistency("".join(checked.compiled.owl_sample).encode("utf-8"),
                      checked.ontology.ntriples())


def build(config: Config, progress: Progress = lambda m: None,
          if_changed: bool = False) -> Release:
    """Build a release and make it current; raise (changing nothing) on any error.

    The collection streams to the release's dataset.nq as it is compiled; meanwhile partitions
    of it are validated (`partitioned_shacl.py`) and loaded into the release's store
    (`store_loader.py`). No step holds the whole archive as RDF terms. Until
    `finish_release` renames the directory and swaps `var/current`, nothing a server reads
    has changed.
    """
    started = time.monotonic()
    digest = input_digest(config)
    existing = current(config.var_dir)
    if if_changed and existing and existing.manifest.get("input_digest") == digest:
        progress(f"unchanged since release {existing.id}; nothing to do")
        return existing
    uris = Uris(config.base_uri)
    progress("reading the ontology and shapes")
    ontology = Ontology.read(config)
    tmp = new_release_dir(config.var_dir)
    loader: StoreLoader | None = None
    try:
        writer = DatasetWriter(tmp / "dataset.nq")
        onto_text = _nquads(ontology.quads(uris.ontology_graph))
        validator: PartitionedValidator | None = None

        def start_validating(sources: str) -> None:
            nonlocal validator
            if config.validator != "pyshacl":
                validator = PartitionedValidator(ontology.shapes_path, ontology.shapes,
                                                 onto_text + sources)

        loader = StoreLoader(tmp / "store", lenient=config.validator != "pyshacl")

        def sink(text: str) -> None:
            data = text.encode("utf-8")     # once: the file, the store and the validator
            lines = data.count(b"\n")
            writer.write(data, lines)
            loader.feed(data, lines)
            if validator is not None:
                validator.feed(data, lines)

        search = SearchIndexWriter(tmp / SEARCH_INDEX, uris)

        def index(collection):
            # From the records as the compiler reads them: no pass over the RDF.
            return search.indexing(collection)

        try:
            compiled, meta = _compile(config, ontology, progress, sink, start_validating, index)
            search_entries = search.close()
            progress(f"wrote the search index: {search_entries:,} entries")
            for text in (onto_text, _nquads(meta_quads(meta, uris))):
                data = text.encode("utf-8")
                writer.write(data, data.count(b"\n"))
                loader.feed(data, data.count(b"\n"))
            if validator is not None:
                progress(f"validating {writer.lines:,} triples against the SHACL shapes (fast "
                         f"validator, {validator.partitions + 1} partitions)")
                violations = validator.finish()
        finally:
            content = writer.close()
            if validator is not None:
                validator.close()
        if validator is None:
            whole = ox.Store()
            whole.bulk_load(path=str(tmp / "dataset.nq"), format=ox.RdfFormat.N_QUADS)
            violations = _validate(config, whole, ontology, progress)
            del whole
        errors = [v for v in violations if v.severity == "Violation"]
        if errors:
            loader.abort()
            # Where each node was authored: read the files once more (only when failing).
            locations = locate(load_collection(config.data_dir), uris)
            raise ValidationFailed([(None, v.describe(locations)) for v in errors])
        gc.collect()
        now = datetime.now(UTC).replace(microsecond=0)
        release_id = f"{now:%Y%m%dT%H%M%SZ}-{content[:8]}"
        info = history.ReleaseInfo(release_id, now, (existing.sequence if existing else 0) + 1,
                                   content, compiled.claims, existing.id if existing else None)
        # HermiT reasons and the dump is compressed in two threads while this one works out
        # the history and the loader finishes: pyoxigraph's loader, zlib and the JVM all run
        # without Python's lock.
        with ThreadPoolExecutor(2) as pool:
            progress(f"checking OWL consistency with HermiT (ontology + {compiled.owl_scope}), "
                     f"compressing dataset.nq and loading the last of {writer.lines:,} quads "
                     f"into the release's store")
            owl = pool.submit(check_consistency, "".join(compiled.owl_sample).encode("utf-8"),
                              ontology.ntriples())
            gz = pool.submit(gzip_copy, tmp, "dataset.nq")
            progress("comparing with the previous release" if existing else "starting the history")
            changes = history.write(tmp, info, compiled.records, compiled.retired, existing, uris)
            compiled.records.clear()
            # The history graph goes through the loader's bounded chunks too: one bulk_load of
            # the whole file (millions of lines on a first release) held 1.4 GiB at once.
            with (tmp / HISTORY).open("rb") as f:
                while lines := f.readlines(1 << 24):
                    loader.feed(b"".join(lines), len(lines))
            store = loader.finish()
            owl.result()
            gzipped = gz.result()
        prefixes = dict(ns.PREFIXES) | {"id": uris.entity("")}
        dumps = ["dataset.nq", gzipped] + write_dumps(tmp, prefixes,
                                                       writer.lines <= ALL_DUMP_FORMATS_UP_TO,
                                                       progress) + [HISTORY, CHANGES]
        # Compacted once, as it will be read for the release's life: loaded in bounded chunks,
        # the store's indexes are spread over many overlapping files, and the saved lookup ran
        # ~1.6x slower over them at 100k claims (10-11 ms against 16-20 ms; 21 s to compact).
        progress("compacting the store")
        store.optimize()
        store.flush()
        del store
        manifest = {
            "created": now.isoformat().replace("+00:00", "Z"),
            "predecessor": info.predecessor,
            "sequence": info.sequence,
            "changes": changes,
            "content_sha256": content,
            "input_digest": digest,
            "software_version": __version__,
            "base_uri": config.base_uri,
            "collection": meta,
            "retired": {rid: {"successor": s, "reason": r}
                        for rid, (s, r) in sorted(compiled.retired.items())},
            "quads": writer.lines,
            "claims": compiled.claims,
            "search_entries": search_entries,
            "dumps": dumps,
            "owl_check": compiled.owl_scope,
            "prefixes": prefixes,
        }
        release = finish_release(config.var_dir, tmp, release_id, manifest, config.queries_dir,
                                 {"dataset.nq": content})
    except BaseException:
        if loader is not None and loader.thread.is_alive():
            loader.abort()
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    progress(f"release {release.id} is current ({time.monotonic() - started:.1f} s)")
    return release
