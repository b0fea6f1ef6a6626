"""Saved queries: `queries/*.rq` files with a comment header naming their parameters.

Header lines (before the first non-comment line):

    # title: All claims about an entity
    # description: ...
    # param: entity iri The entity (its IRI under /id/)
    # example: entity=https://w3id.org/memorial-graph/id/pfft2yk

Parameters are bound as values (pyoxigraph substitutions / SPARQL VALUES), never formatted
into the query text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from .errors import BadRequest, NotFound

_HEADER = re.compile(r"^#\s*(title|description|param|example):\s*(.*)$")
_NAME = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_IRI_FORBIDDEN = re.compile(r'[\s<>"{}|\\^`]')


@dataclass(frozen=True)
class Param:
    name: str
    kind: str  # "iri" or "literal"
    description: str


@dataclass(frozen=True)
class SavedQuery:
    name: str
    title: str
    description: str
    params: tuple[Param, ...]
    example: dict[str, str]
    text: str = field(repr=False)

    def bind(self, values: dict[str, str], *, require_all: bool = True) -> dict[ox.Variable, object]:
        """Turn request values into bound terms; unknown or malformed values are a BadRequest."""
        known = {p.name: p for p in self.params}
        unknown = sorted(set(values) - set(known))
        if unknown:
            raise BadRequest(f"query '{self.name}' has no parameter {', '.join(unknown)}; "
                             f"it takes: {', '.join(known) or 'none'}")
        bound: dict[ox.Variable, object] = {}
        for p in self.params:
            if p.name not in values or values[p.name] == "":
                if require_all:
                    raise BadRequest(f"query '{self.name}' needs the parameter '{p.name}' "
                                     f"({p.description})")
                continue
            raw = values[p.name]
            if p.kind == "iri":
                if _IRI_FORBIDDEN.search(raw) or ":" not in raw:
                    raise BadRequest(f"parameter '{p.name}' must be an absolute IRI "
                                     f"(got {raw!r})")
                bound[ox.Variable(p.name)] = ox.NamedNode(raw)
            else:
                bound[ox.Variable(p.name)] = ox.Literal(raw)
        return bound


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
            params.append(Param(pname, kind if kind in ("iri", "literal") else "literal",
                                rest[0] if rest else ""))
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
        raise NotFound(f"there is no saved query named '{name}'")
    return queries[name]
