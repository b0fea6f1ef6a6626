"""Read the human-authored collection (YAML) into plain records that remember their file:line.

The format is documented in docs/authoring.md. This module only reads and checks the shape of
the files; turning records into RDF is `compile.py`'s job.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ..errors import DataError, Location
from ..uris import ID_PATTERN
from ..value_kinds import KINDS

LANG_PATTERN = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")

SOURCE_KEYS = {
    "id", "type", "title", "short_title", "url", "identifier", "publisher", "author", "language",
    "published", "retrieved", "paragraphs", "description",
}
ENTITY_KEYS = {"id", "type", "same_as", "claims", "note"}
CLAIM_KEYS = {
    "id", "property", "entity", "name", "lang", "count", "quantity", "unit", "when", "text",
    "approximate", "applies_to", "valid_during", "role", "note", "rank", "rank_reason", "sources",
    "given_by",
}
# Who gives a claim when no source does: only the collection's editors, and only a name.
GIVEN_BY = ("editors",)
VALUE_KEYS = tuple(KINDS)   # the field that carries a claim's value names its kind
EVIDENCE_KEYS = {"source", "paragraph", "start", "end"}
WHEN_KEYS = {"edtf", "begin", "end"}
RETIRED_KEYS = {"id", "successor", "reason", "retired"}


class _Map(dict):
    """A YAML mapping that remembers the line it starts on."""

    line: int = 0


class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    pass


MERGE_TAG = "tag:yaml.org,2002:merge"


def _construct_map(loader: yaml.SafeLoader, node: yaml.MappingNode) -> _Map:
    seen: set = set()
    for key_node, _value in node.value:
        if key_node.tag == MERGE_TAG:   # `<<: *defaults` may be overridden by explicit keys
            continue
        key = loader.construct_object(key_node, deep=True)
        if key in seen:
            raise DataError([(Location(loader.name, key_node.start_mark.line + 1),
                              f"the key '{key}' appears twice in one record")])
        seen.add(key)
    loader.flatten_mapping(node)
    out = _Map()
    out.line = node.start_mark.line + 1
    for key_node, value_node in node.value:
        out[loader.construct_object(key_node, deep=True)] = \
            loader.construct_object(value_node, deep=True)
    return out


def _check_expansion(root: yaml.Node, name: str) -> None:
    """Refuse aliases that multiply the document (an "alias bomb"): the document as written
    has `composed` nodes; expanded, each alias counts its whole target again. Linear in the
    written document: each node's expanded size is computed once."""
    sizes: dict[int, int] = {}
    composed = 0
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, children_done = stack.pop()
        if id(node) in sizes:
            continue
        children = [n for pair in node.value for n in pair] if isinstance(node, yaml.MappingNode) \
            else list(node.value) if isinstance(node, yaml.SequenceNode) else []
        if not children_done:
            composed += 1
            stack.append((node, True))
            stack.extend((c, False) for c in children if id(c) not in sizes)
            continue
        sizes[id(node)] = size = 1 + sum(sizes[id(c)] for c in children)
        limit = 4 * composed + 10_000
        if size > limit:
            raise DataError([(Location(name, node.start_mark.line + 1),
                              f"YAML aliases here would expand this file to more than {limit:,} "
                              f"values (it is written with {composed:,}); an alias may repeat "
                              f"a value, not multiply it")])


def _construct_str_timestamp(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> str:
    # Dates stay strings: "1992" and "1992-02-25" mean different precisions and must not be
    # widened into datetimes by the YAML reader.
    return loader.construct_scalar(node)


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_map)
_Loader.add_constructor("tag:yaml.org,2002:timestamp", _construct_str_timestamp)


@dataclass(slots=True)
class Evidence:
    source: str
    paragraph: Any
    start: int | None
    end: int | None
    loc: Location


@dataclass(slots=True)
class When:
    edtf: str
    begin: str | None
    end: str | None


@dataclass(slots=True)
class Claim:
    id: str
    subject: str
    property: str
    kind: str  # one of VALUE_KEYS
    value: Any
    lang: str | None
    unit: str | None
    approximate: bool
    applies_to: str | None
    valid_during: When | None
    role: str | None
    note: str | None
    rank: str
    rank_reason: str | None
    evidence: list[Evidence]
    loc: Location
    given_by: str | None = None   # "editors": a label the editors give, citing no source

    def mentions(self) -> list[str]:
        """Identifiers of the other records this claim refers to."""
        out = [str(ev.source) for ev in self.evidence if ev.source is not None]
        if self.kind == "entity":
            out.append(str(self.value))
        if self.applies_to is not None:
            out.append(str(self.applies_to))
        return out


@dataclass(slots=True)
class Entity:
    id: str
    type: str
    same_as: list[str]
    note: str | None
    loc: Location
    claims: list[Claim] = field(default_factory=list)


@dataclass(slots=True)
class Source:
    id: str
    type: str
    fields: dict[str, Any]
    loc: Location


@dataclass(slots=True)
class Retired:
    id: str
    successor: str | None
    reason: str | None
    loc: Location


@dataclass
class Collection:
    meta: dict[str, Any]
    sources: list[Source]
    entities: list[Entity]
    retired: list[Retired]
    files: list[Path]

    def claims(self) -> Iterator[Claim]:
        for entity in self.entities:
            yield from entity.claims


class _Problems:
    """Collects every problem in a pass so the archivist sees them all at once."""

    def __init__(self) -> None:
        self.items: list[tuple[Location | None, str]] = []

    def add(self, loc: Location | None, msg: str) -> None:
        self.items.append((loc, msg))

    def raise_if_any(self) -> None:
        if self.items:
            raise DataError(self.items)


def read_yaml(path: Path, label: str | None = None) -> Any:
    """Parse one YAML file; a syntax error becomes a DataError with file:line."""
    name = label or str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise DataError([(Location(name, 1), f"the file is not UTF-8 text ({exc.reason})")]) from exc
    try:
        loader = _Loader(text)
        loader.name = name
        try:
            node = loader.get_single_node()
            if node is None:
                return None
            _check_expansion(node, name)
            return loader.construct_document(node)
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        # Where the construct began (an opening quote, a block) is where to look; the problem
        # mark can be the end of the file.
        mark = exc.context_mark or exc.problem_mark
        line = mark.line + 1 if mark else 1
        what = "; ".join(part for part in (exc.context, exc.problem) if part) or "malformed YAML"
        if exc.context_mark and exc.problem_mark and exc.problem_mark.line != exc.context_mark.line:
            what += f" (noticed at line {exc.problem_mark.line + 1})"
        raise DataError([(Location(name, line), f"YAML syntax error: {what}")]) from exc
    except yaml.reader.ReaderError as exc:
        # A character YAML refuses (a control character pasted from a word processor): it
        # carries an offset into the text, not a line.
        line = text.count("\n", 0, exc.position) + 1
        raise DataError([(Location(name, line), f"the file holds a character YAML does not "
                                                f"allow: {exc.reason} (#x{exc.character:04x}); "
                                                f"delete it or retype the text around it")]) from exc
    except DataError:
        raise


def read_jsonl(path: Path, label: str) -> Iterator[tuple[int, Any]]:
    """JSON Lines: each line one document with the same top-level keys as a YAML file
    (`{"entities": [...]}`), for large generated collections; errors name file:line."""
    import json

    with path.open(encoding="utf-8") as f:
        for number, line in enumerate(f, start=1):
            if not line.strip():
                continue
            try:
                yield number, json.loads(line)
            except json.JSONDecodeError as exc:
                raise DataError([(Location(label, number), f"JSON syntax error: {exc.msg} "
                                                           f"(column {exc.colno})")]) from exc


def _list_of(doc: Any, key: str, loc: Location, problems: _Problems) -> list:
    if doc is None:
        return []
    if not isinstance(doc, dict) or not isinstance(doc.get(key, []), list):
        problems.add(loc, f"expected a top-level '{key}:' list")
        return []
    return doc.get(key) or []


def _loc(name: str, rec: Any, fallback: int = 1) -> Location:
    return Location(name, getattr(rec, "line", fallback))


def _check_keys(rec: dict, allowed: set[str], what: str, loc: Location, problems: _Problems) -> None:
    unknown = sorted(set(rec) - allowed)
    if unknown:
        problems.add(loc, f"unknown field(s) {', '.join(unknown)} in {what}; "
                          f"allowed: {', '.join(sorted(allowed))}")


# Characters no RDF/XML dump, XML literal or HermiT accepts (XML 1.0 excludes them), and lone
# surrogates, which UTF-8 cannot encode: an escape in YAML ("\\v") or JSON ("\\ud800") gets
# them past the reader.
_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _check_text(value: Any, loc: Location, problems: _Problems, skip: str | None = None) -> None:
    """Refuse a forbidden character anywhere in a record's values (not under `skip`)."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            bad = _FORBIDDEN.search(item)
            if bad:
                problems.add(loc, f"the text {item[:40]!r} holds the control character "
                                  f"U+{ord(bad.group()):04X}, which RDF dumps and HermiT refuse; "
                                  f"delete it (write a space or a new line instead)")
        elif isinstance(item, dict):
            stack.extend(v for k, v in item.items() if k != skip)
            stack.extend(k for k in item if isinstance(k, str))
        elif isinstance(item, list):
            stack.extend(item)


def _check_id(value: Any, what: str, loc: Location, problems: _Problems) -> str | None:
    if not isinstance(value, str) or not ID_PATTERN.match(value):
        problems.add(loc, f"{what} needs an 'id' of 3-32 lower-case letters, digits or '-' "
                          f"(got {value!r}); run `memorial-graph new-id` for a fresh one")
        return None
    return value


def _when(value: Any, loc: Location, problems: _Problems) -> When | None:
    if isinstance(value, (str, int)):
        return When(str(value), None, None)
    if isinstance(value, dict):
        _check_keys(value, WHEN_KEYS, "a date", loc, problems)
        if "edtf" not in value:
            problems.add(loc, "a date needs 'edtf' (for example 1992-02-25/1992-02-26)")
            return None
        return When(str(value["edtf"]),
                    None if value.get("begin") is None else str(value["begin"]),
                    None if value.get("end") is None else str(value["end"]))
    problems.add(loc, f"a date must be an EDTF string or a mapping with 'edtf' (got {value!r})")
    return None


def _claim(rec: Any, subject: str, name: str, problems: _Problems,
           fallback_line: int = 1) -> Claim | None:
    loc = _loc(name, rec, fallback_line)
    if not isinstance(rec, dict):
        problems.add(loc, "a claim must be a mapping with id, property, a value and sources")
        return None
    _check_keys(rec, CLAIM_KEYS, "a claim", loc, problems)
    _check_text(rec, loc, problems, skip="sources")
    for ev in rec.get("sources") if isinstance(rec.get("sources"), list) else ():
        _check_text(ev, _loc(name, ev, loc.line), problems)
    cid = _check_id(rec.get("id"), "a claim", loc, problems)
    prop = rec.get("property")
    if not isinstance(prop, str) or ":" not in prop:
        problems.add(loc, f"claim {cid}: 'property' must be a prefixed name such as "
                          f"schema:creator (got {prop!r})")
    kinds = [k for k in VALUE_KEYS if k in rec]
    if len(kinds) != 1:
        problems.add(loc, f"claim {cid}: give exactly one value field among "
                          f"{', '.join(VALUE_KEYS)} (found {', '.join(kinds) or 'none'})")
        return None
    kind = kinds[0]
    value = rec[kind]
    if kind == "when":
        value = _when(value, loc, problems)
    lang = rec.get("lang")
    if lang is not None and (not isinstance(lang, str) or not LANG_PATTERN.match(lang)):
        problems.add(loc, f"claim {cid}: 'lang' must be a language tag such as en or az")
    if kind == "name" and lang is None:
        problems.add(loc, f"claim {cid}: a name needs 'lang' (the language it is written in)")
    raw_sources = rec.get("sources")
    evidence: list[Evidence] = []
    if raw_sources is not None and not isinstance(raw_sources, list):
        problems.add(loc, f"claim {cid}: 'sources' must be a list of {{source, paragraph}}")
        raw_sources = []
    for ev in raw_sources or []:
        eloc = _loc(name, ev, loc.line) if isinstance(ev, _Map) else loc
        if not isinstance(ev, dict):
            problems.add(eloc, f"claim {cid}: each source must be a mapping {{source, paragraph}}")
            continue
        _check_keys(ev, EVIDENCE_KEYS, "a source citation", eloc, problems)
        evidence.append(Evidence(ev.get("source"), ev.get("paragraph"), ev.get("start"),
                                 ev.get("end"), eloc))
    given_by = rec.get("given_by")
    if given_by is not None and given_by not in GIVEN_BY:
        problems.add(loc, f"claim {cid}: 'given_by' can only be 'editors' (a name the "
                          f"collection's editors give, citing no source; got {given_by!r})")
    valid = rec.get("valid_during")
    return Claim(
        id=cid or "",
        subject=subject,
        property=prop if isinstance(prop, str) else "",
        kind=kind,
        value=value,
        lang=lang,
        unit=rec.get("unit"),
        approximate=bool(rec.get("approximate", False)),
        applies_to=rec.get("applies_to"),
        valid_during=_when(valid, loc, problems) if valid is not None else None,
        role=rec.get("role"),
        note=rec.get("note"),
        rank=str(rec.get("rank", "normal")),
        rank_reason=rec.get("rank_reason"),
        evidence=evidence,
        loc=loc,
        given_by=given_by if given_by in GIVEN_BY else None,
    )


def _read(data_dir: Path, problems: _Problems, files: list[Path],
          meta_out: dict[str, Any]) -> Iterator[Source | Entity | Retired]:
    """Every record of the authoring files under `data_dir`, in file order, as it is read
    (a JSON Lines file is never held whole); the shape problems go to `problems`."""
    data_dir = Path(data_dir)
    root = data_dir.parent

    def rel(p: Path) -> str:
        try:
            return str(p.relative_to(root))
        except ValueError:
            return str(p)

    meta_path = data_dir / "collection.yaml"
    if meta_path.exists():
        files.append(meta_path)
        meta_out.update(read_yaml(meta_path, rel(meta_path)) or {})

    paths = sorted(p for p in data_dir.rglob("*")
                   if p.suffix in (".yaml", ".jsonl") and p != meta_path)
    if not paths:
        problems.add(None, f"no authoring files (*.yaml, *.jsonl) under {data_dir}")

    def documents():
        for path in paths:
            files.append(path)
            try:
                if path.suffix == ".jsonl":
                    for line, doc in read_jsonl(path, rel(path)):
                        yield rel(path), doc, line
                else:
                    yield rel(path), read_yaml(path, rel(path)), 1
            except DataError as exc:
                problems.items.extend(exc.problems)

    for name, doc, first_line in documents():
        top = _loc(name, doc, first_line)
        if doc is not None and not isinstance(doc, dict):
            problems.add(top, "expected a mapping with 'sources:', 'entities:' or 'retired:'")
            continue
        for key in sorted(set(doc or {}) - {"sources", "entities", "retired"}):
            problems.add(top, f"unknown top-level key '{key}' (use sources, entities or retired)")
        for rec in _list_of(doc, "sources", top, problems):
            loc = _loc(name, rec, first_line)
            if not isinstance(rec, dict):
                problems.add(loc, "a source must be a mapping")
                continue
            _check_keys(rec, SOURCE_KEYS, "a source", loc, problems)
            _check_text(rec, loc, problems)
            sid = _check_id(rec.get("id"), "a source", loc, problems)
            if rec.get("title") is not None and not isinstance(rec["title"], str):
                problems.add(loc, f"source {sid}: 'title' must be the source's title as text")
            if sid:
                yield Source(sid, str(rec.get("type", "Source")),
                             {k: v for k, v in rec.items() if k not in ("id", "type")}, loc)
        for rec in _list_of(doc, "entities", top, problems):
            loc = _loc(name, rec, first_line)
            if not isinstance(rec, dict):
                problems.add(loc, "an entity must be a mapping")
                continue
            _check_keys(rec, ENTITY_KEYS, "an entity", loc, problems)
            _check_text(rec, loc, problems, skip="claims")
            eid = _check_id(rec.get("id"), "an entity", loc, problems)
            if not eid:
                continue
            same_as = rec.get("same_as") or []
            entity = Entity(eid, str(rec.get("type", "")),
                            same_as if isinstance(same_as, list) else [same_as],
                            rec.get("note"), loc)
            claims = rec.get("claims") or []
            if not isinstance(claims, list):
                problems.add(loc, f"entity {eid}: 'claims' must be a list")
                claims = []
            for crec in claims:
                claim = _claim(crec, eid, name, problems, loc.line)
                if claim:
                    entity.claims.append(claim)
            yield entity
        for rec in _list_of(doc, "retired", top, problems):
            loc = _loc(name, rec, first_line)
            if not isinstance(rec, dict):
                problems.add(loc, "a retired identifier must be a mapping {id, successor, reason}")
                continue
            _check_keys(rec, RETIRED_KEYS, "a retired identifier", loc, problems)
            _check_text(rec, loc, problems)
            rid = _check_id(rec.get("id"), "a retired identifier", loc, problems)
            if rid:
                yield Retired(rid, rec.get("successor"), rec.get("reason"), loc)


def load_collection(data_dir: Path) -> Collection:
    """Read every authoring file under `data_dir`; raise DataError listing every problem found."""
    problems = _Problems()
    files: list[Path] = []
    meta: dict[str, Any] = {}
    sources: list[Source] = []
    entities: list[Entity] = []
    retired: list[Retired] = []
    for record in _read(data_dir, problems, files, meta):
        (sources if isinstance(record, Source) else
         entities if isinstance(record, Entity) else retired).append(record)
    problems.raise_if_any()
    return Collection(meta, sources, entities, retired, files)


@dataclass
class Index:
    """What the compiler needs of every record before it compiles any (the first pass): the
    entities' types and where each source and entity is defined, every claim identifier, the
    identifiers defined twice (with where), the number of claims, whether the editors give
    any name. Claim identifiers are kept without their places (a million of them would cost
    hundreds of MB); `first_defined` finds where a duplicated one first appeared."""

    places: dict[str, Location] = field(default_factory=dict)   # sources and entities
    claim_ids: set[str] = field(default_factory=set)
    duplicates: list[tuple[str, Location]] = field(default_factory=list)
    entity_types: dict[str, str] = field(default_factory=dict)
    claims: int = 0
    editors_named: bool = False

    def define(self, ident: str, loc: Location, claim: bool = False) -> None:
        if ident in self.places or ident in self.claim_ids:
            self.duplicates.append((ident, loc))
        elif claim:
            self.claim_ids.add(ident)
        else:
            self.places[ident] = loc

    def add_entity(self, entity: Entity) -> None:
        self.define(entity.id, entity.loc)
        self.entity_types.setdefault(entity.id, entity.type)
        for claim in entity.claims:
            self.define(claim.id, claim.loc, claim=True)
            self.editors_named = self.editors_named or claim.given_by == "editors"
        self.claims += len(entity.claims)

    def __contains__(self, ident: str) -> bool:
        return ident in self.places or ident in self.claim_ids

    def where(self, collection: Collection, idents: set[str]) -> dict[str, Location]:
        """Where each of `idents` was first defined (a claim's place: read the files again)."""
        out = {i: self.places[i] for i in idents if i in self.places}
        if idents - out.keys():
            for entity in collection.entities:
                for claim in entity.claims:
                    if claim.id in idents:
                        out.setdefault(claim.id, claim.loc)
        return out

    @classmethod
    def of(cls, collection: Collection) -> Index:
        index = cls()
        for src in collection.sources:
            index.define(src.id, src.loc)
        for ent in collection.entities:
            index.add_entity(ent)
        return index


class StreamedCollection(Collection):
    """A collection read in two passes, so its entities are never all in memory at once.

    The first pass (on construction) reads every file, reports every problem as
    `load_collection` does, keeps the sources, the retired identifiers and an `Index` of
    the entities, and drops the entities. `entities` then reads the files again and yields
    each entity as it is read (the second pass; iterate it once per use)."""

    def __init__(self, data_dir: Path):
        problems = _Problems()
        files: list[Path] = []
        meta: dict[str, Any] = {}
        sources: list[Source] = []
        retired: list[Retired] = []
        self.data_dir = Path(data_dir)
        self.index = Index()
        entity_count = 0
        for record in _read(self.data_dir, problems, files, meta):
            if isinstance(record, Entity):
                self.index.add_entity(record)
                entity_count += 1
            else:
                (sources if isinstance(record, Source) else retired).append(record)
        problems.raise_if_any()
        self.index = _sources_first(self.index, sources)
        self.entity_count = entity_count
        super().__init__(meta, sources, [], retired, files)

    @property
    def entities(self) -> Iterator[Entity]:   # type: ignore[override]
        problems = _Problems()
        for record in _read(self.data_dir, problems, [], {}):
            if isinstance(record, Entity):
                yield record
        problems.raise_if_any()    # only if a file changed since the first pass

    @entities.setter
    def entities(self, value) -> None:    # Collection.__init__ assigns the (empty) list
        pass

    def claims(self) -> Iterator[Claim]:
        raise TypeError("a streamed collection's claims are read with its entities")


def _sources_first(index: Index, sources: list[Source]) -> Index:
    """The index as if the sources had been defined before every entity (the order the
    compiler numbers them in: the first definition wins, later ones are duplicates)."""
    out = Index(claim_ids=index.claim_ids, entity_types=index.entity_types,
                claims=index.claims, editors_named=index.editors_named)
    for src in sources:
        out.define(src.id, src.loc)
    for ident, loc in index.places.items():
        if ident in out.places:
            out.duplicates.append((ident, loc))
        else:
            out.places[ident] = loc
    out.duplicates += index.duplicates
    return out
