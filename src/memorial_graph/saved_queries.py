"""Saved queries: `queries/*.rq` files with a comment header naming their parameters.

Header lines (before the first non-comment line):

    # title: All claims about an entity
    # description: ...
    # param: entity iri The entity (its IRI under /id/)
    # param: subject iri (optional) Only the disagreements about this entity
    # example: entity=https://w3id.org/memorial-graph/id/pfft2yk

Parameters are bound as values (pyoxigraph substitutions / SPARQL VALUES), never formatted
into the query text. An `iri` parameter takes a full IRI or the identifier of one of the
collection's records (`pfft2yk`); an optional one left out stays a free variable.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import pyoxigraph as ox

from .errors import BadRequest, NotFound
from .uris import ID_PATTERN, Uris

_HEADER = re.compile(r"^#\s*(title|description|param|example):\s*(.*)$")
_NAME = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_IRI_FORBIDDEN = re.compile(r'[\s<>"{}|\\^`]')
OPTIONAL = "(optional)"   # a parameter's description starting so: it may be left out


@dataclass(frozen=True)
class Param:
    name: str
    kind: str  # "iri" or "literal"
    description: str
    optional: bool = False


@dataclass(frozen=True)
class SavedQuery:
    name: str
    title: str
    description: str
    params: tuple[Param, ...]
    example: dict[str, str]
    text: str = field(repr=False)

    def bind(self, values: dict[str, str], uris: Uris | None = None) -> dict[ox.Variable, object]:
        """Turn request values into bound terms; unknown or malformed values, or a required
        parameter left out, are a BadRequest. An identifier given for an IRI parameter is
        expanded under `uris` (the default base when None)."""
        uris = uris or Uris()
        known = {p.name: p for p in self.params}
        unknown = sorted(set(values) - set(known))
        if unknown:
            raise BadRequest(f"query '{self.name}' has no parameter {', '.join(unknown)}; "
                             f"it takes: {', '.join(known) or 'none'}")
        bound: dict[ox.Variable, object] = {}
        for p in self.params:
            if p.name not in values or values[p.name] == "":
                if not p.optional:
                    raise BadRequest(f"query '{self.name}' needs the parameter '{p.name}' "
                                     f"({p.description})")
                continue
            raw = values[p.name]
            if p.kind == "iri":
                bound[ox.Variable(p.name)] = ox.NamedNode(_iri(p.name, raw, uris))
            else:
                bound[ox.Variable(p.name)] = ox.Literal(raw)
        return bound

    @cached_property
    def form(self) -> str:
        """"select", "ask" or "construct" (CONSTRUCT and DESCRIBE): what the query answers."""
        # The engine's own parser decides, on an empty store, so a header or a comment that
        # mentions another form cannot mislead it. A query that does not parse answers as a
        # SELECT would: with the parser's error, when it is run.
        try:
            result = ox.Store().query(self.text)
        except SyntaxError:
            return "select"
        if isinstance(result, ox.QuerySolutions):
            return "select"
        if isinstance(result, ox.QueryBoolean):
            return "ask"
        return "construct"


def _iri(name: str, raw: str, uris: Uris) -> str:
    if ID_PATTERN.match(raw):
        return uris.entity(raw)
    if _IRI_FORBIDDEN.search(raw) or ":" not in raw:
        raise BadRequest(f"parameter '{name}' must be an absolute IRI or the identifier of a "
                         f"record of this collection, such as pfft2yk (got {raw!r})")
    return raw


def parse(name: str, text: str) -> SavedQuery:
    title, description, params, example = name, "", [], {}
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        m = _HEADER.match(line)
        if not m:
            continue
        key, value = m.group(1), m.group(2).strip()
        if key == "title":
            title = value
        elif key == "description":
            description = value
        elif key == "param":
            pname, kind, *rest = value.split(None, 2) + [""]
            description = rest[0].strip() if rest else ""
            optional = description.startswith(OPTIONAL)
            params.append(Param(pname, kind if kind in ("iri", "literal") else "literal",
                                description.removeprefix(OPTIONAL).strip(), optional))
        elif key == "example":
            for pair in value.split("&"):
                k, _, v = pair.partition("=")
                example[k.strip()] = v.strip()
    return SavedQuery(name, title, description, tuple(params), example, text)


def load_all(directory: Path) -> dict[str, SavedQuery]:
    out = {}
    if directory and Path(directory).is_dir():
        for path in sorted(Path(directory).glob("*.rq")):
            out[path.stem] = parse(path.stem, path.read_text(encoding="utf-8"))
    return out


def get(queries: dict[str, SavedQuery], name: str) -> SavedQuery:
    if not _NAME.match(name) or name not in queries:
        known = ", ".join(sorted(queries)) or "none"
        raise NotFound(f"there is no saved query named '{name}'; the saved queries are: {known}")
    return queries[name]


def is_name(text: str) -> bool:
    """Whether `text` reads as a saved query's name (no SPARQL query is one plain word)."""
    return bool(_NAME.match(text))
