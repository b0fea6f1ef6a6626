"""A fast validator for the SHACL shapes this project uses, evaluated with pyoxigraph.

pySHACL evaluates every constraint per focus node through rdflib's SPARQL engine: about 30 s
per 70k triples here, hours for an archive of a million claims. This module reads the same
`shapes.ttl` and evaluates each constraint once, for all focus nodes, as a pyoxigraph query
plus a Python check per value. It supports exactly the SHACL features `shapes.ttl` uses and
refuses a shapes file with anything else (`Unsupported`), so it cannot silently diverge;
tests/build/test_fast_shacl.py proves it reports the same results as pySHACL on the collection and
on every failing fixture.

Supported: node shapes with sh:targetClass / sh:targetSubjectsOf; property shapes with an IRI
sh:path and sh:minCount, sh:maxCount, sh:nodeKind sh:IRI, sh:datatype, sh:minInclusive,
sh:in, sh:class, sh:pattern, sh:uniqueLang, sh:or of sh:datatype alternatives; node-level
sh:or of property shapes with sh:minCount; SPARQL-based constraints (sh:sparql/sh:select,
where $this occurs in a triple pattern).
"""

from __future__ import annotations

import re
from decimal import Decimal

import pyoxigraph as ox
import rdflib
from rdflib.collection import Collection
from rdflib.namespace import RDF, SH

from .shacl import Violation, to_ox

XSD = "http://www.w3.org/2001/XMLSchema#"
RDFS_SUBCLASS = "http://www.w3.org/2000/01/rdf-schema#subClassOf"
KNOWN = {SH.path, SH.minCount, SH.maxCount, SH.nodeKind, SH.datatype, SH.minInclusive, SH["in"],
         SH["class"], SH.pattern, SH.uniqueLang, SH["or"], SH.message, SH.name,
         SH.description}
NODE_KNOWN = {RDF.type, SH.targetClass, SH.targetSubjectsOf, SH.property, SH.sparql, SH["or"],
              SH.message, rdflib.RDFS.comment, rdflib.RDFS.label}

LEXICAL = {
    XSD + "integer": re.compile(r"^[+-]?\d+$"),
    XSD + "decimal": re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$"),
    XSD + "date": re.compile(r"^-?\d{4,}-\d{2}-\d{2}(Z|[+-]\d{2}:\d{2})?$"),
    XSD + "dateTime": re.compile(r"^-?\d{4,}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?$"),
    XSD + "gYear": re.compile(r"^-?\d{4,}(Z|[+-]\d{2}:\d{2})?$"),
    XSD + "gYearMonth": re.compile(r"^-?\d{4,}-\d{2}(Z|[+-]\d{2}:\d{2})?$"),
    XSD + "boolean": re.compile(r"^(true|false|0|1)$"),
}

class Unsupported(Exception):
    """The shapes use a SHACL feature this validator does not implement."""


def _component(name: str) -> str:
    return f"{name}ConstraintComponent"


def _term_text(term) -> str:
    return str(term) if isinstance(term, ox.Literal) else term.value


def _string(text: str) -> str:
    """A SPARQL string literal."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _well_typed_sparql(datatype: str) -> str:
    """SPARQL true when ?v is a literal of `datatype` with a valid lexical form."""
    if datatype == "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString":
        return "(isLiteral(?v) && LANG(?v) != \"\")"
    test = f"(isLiteral(?v) && DATATYPE(?v) = <{datatype}>"
    if datatype in LEXICAL:
        test += f" && REGEX(STR(?v), {_string(LEXICAL[datatype].pattern)})"
    return test + ")"


class FastValidator:
    def __init__(self, shapes: rdflib.Graph):
        self.shapes = shapes
        self.prefixes: dict[str, str] = {}
        for decl in shapes.objects(None, SH.declare):
            self.prefixes[str(shapes.value(decl, SH.prefix))] = str(shapes.value(decl, SH.namespace))
        self.node_shapes = sorted(set(shapes.subjects(RDF.type, SH.NodeShape)), key=str)
        for shape in self.node_shapes:
            extra = {p for p, _o in shapes.predicate_objects(shape)} - NODE_KNOWN
            if extra:
                raise Unsupported(f"{shape}: {', '.join(sorted(map(str, extra)))}")

    # ------------------------------------------------------------------ helpers
    def _prologue(self) -> str:
        return "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in self.prefixes.items())

    def _target_pattern(self, store: ox.Store, shape) -> str:
        """The focus nodes of a shape as a graph pattern binding ?this. A target class is
        expanded here to itself and its subclasses (the same as `?this a/rdfs:subClassOf*`),
        so the engine starts from the type index instead of walking the class hierarchy."""
        parts = []
        for cls in self.shapes.objects(shape, SH.targetClass):
            parts.append(f"{{ VALUES ?_t {{ {self._subclasses(store, str(cls))} }} ?this a ?_t . }}")
        for prop in self.shapes.objects(shape, SH.targetSubjectsOf):
            parts.append(f"{{ ?this <{prop}> ?_o . }}")
        if not parts:
            raise Unsupported(f"{shape}: no target")
        return " UNION ".join(parts)

    def _subclasses(self, store: ox.Store, cls: str) -> str:
        rows = self._query(store, f"SELECT DISTINCT ?c WHERE {{ ?c <{RDFS_SUBCLASS}>* <{cls}> }}")
        return " ".join(sorted({f"<{cls}>"} | {f"<{r['c'].value}>" for r in rows
                                               if isinstance(r["c"], ox.NamedNode)}))

    def _list(self, node) -> list:
        return list(Collection(self.shapes, node))

    # ------------------------------------------------------------------ validation
    def validate(self, store: ox.Store) -> list[Violation]:
        out: list[Violation] = []
        for shape in self.node_shapes:
            target = self._target_pattern(store, shape)
            for prop_shape in self.shapes.objects(shape, SH.property):
                out += self._property(store, target, prop_shape)
            node_or = self.shapes.value(shape, SH["or"])
            if node_or is not None:
                out += self._node_or(store, target, shape, node_or)
            for constraint in self.shapes.objects(shape, SH.sparql):
                out += self._sparql(store, target, constraint)
        return sorted(set(out), key=sort_key)

    def _query(self, store: ox.Store, text: str):
        return store.query(self._prologue() + text, use_default_graph_as_union=True)

    def _property(self, store, target: str, ps) -> list[Violation]:
        """Each property shape is two queries that return only the violations: one for the
        counts, one testing every value against all the shape's value constraints at once."""
        extra = {p for p, _o in self.shapes.predicate_objects(ps)} - KNOWN
        if extra:
            raise Unsupported(f"property shape uses {', '.join(sorted(map(str, extra)))}")
        path = self.shapes.value(ps, SH.path)
        if not isinstance(path, rdflib.URIRef):
            raise Unsupported("only IRI paths are supported")
        message = str(self.shapes.value(ps, SH.message) or "")
        p = str(path)
        out = []

        def v(focus: str, component: str, value=None) -> Violation:
            return Violation(focus, message, p, None if value is None else _term_text(value),
                             "Violation", _component(component))

        min_count = self.shapes.value(ps, SH.minCount)
        max_count = self.shapes.value(ps, SH.maxCount)
        if min_count is not None and int(min_count) == 1:
            # "at least one" and "at most one" without counting every focus node's values
            # (the GROUP BY below was half of the validation time at scale)
            rows = self._query(store, f"SELECT ?this WHERE {{ {target} "
                                      f"FILTER NOT EXISTS {{ ?this <{p}> ?_v }} }}")
            out += [v(row["this"].value, "MinCount") for row in rows]
            min_count = None
        if max_count is not None and int(max_count) == 1:
            rows = self._query(store, f"SELECT DISTINCT ?this WHERE {{ {target} "
                                      f"?this <{p}> ?_a, ?_b . FILTER (!sameTerm(?_a, ?_b)) }}")
            out += [v(row["this"].value, "MaxCount") for row in rows]
            max_count = None
        if min_count is not None or max_count is not None:
            bad = []
            if min_count is not None:
                bad.append(f"?n < {int(min_count)}")
            if max_count is not None:
                bad.append(f"?n > {int(max_count)}")
            rows = self._query(store, f"SELECT ?this ?n WHERE {{ {{ SELECT ?this (COUNT(DISTINCT ?v) "
                                      f"AS ?n) WHERE {{ {target} OPTIONAL {{ ?this <{p}> ?v }} }} "
                                      f"GROUP BY ?this }} FILTER ({' || '.join(bad)}) }}")
            for row in rows:
                n = int(row["n"].value)
                if min_count is not None and n < int(min_count):
                    out.append(v(row["this"].value, "MinCount"))
                if max_count is not None and n > int(max_count):
                    out.append(v(row["this"].value, "MaxCount"))
        checks = {k: self.shapes.value(ps, k) for k in (SH.nodeKind, SH.datatype, SH.minInclusive,
                                                         SH["in"], SH.pattern, SH.uniqueLang,
                                                         SH["or"], SH["class"])}
        if checks[SH.nodeKind] is not None and checks[SH.nodeKind] != SH.IRI:
            raise Unsupported(f"sh:nodeKind {checks[SH.nodeKind]}")
        tests: dict[str, str] = {}   # component -> SPARQL expression true when ?v violates it
        if checks[SH.nodeKind] is not None:
            tests["NodeKind"] = "!isIRI(?v)"
        if checks[SH.datatype] is not None:
            tests["Datatype"] = f"!({_well_typed_sparql(str(checks[SH.datatype]))})"
        if checks[SH.minInclusive] is not None:
            minimum = Decimal(str(checks[SH.minInclusive]))
            tests["MinInclusive"] = f"!(COALESCE(isNumeric(?v) && ?v >= {minimum}, false))"
        if checks[SH["in"]] is not None:
            members = [to_ox(t) for t in self._list(checks[SH["in"]])]
            tests["In"] = "!(" + " || ".join(f"sameTerm(?v, {m})" for m in members) + ")"
        if checks[SH.pattern] is not None:
            tests["Pattern"] = f"(isBlank(?v) || !REGEX(STR(?v), {_string(str(checks[SH.pattern]))}))"
        if checks[SH["or"]] is not None:
            alternatives = []
            for alt in self._list(checks[SH["or"]]):
                dt = self.shapes.value(alt, SH.datatype)
                if dt is None or len(list(self.shapes.predicate_objects(alt))) != 1:
                    raise Unsupported("property-level sh:or supports sh:datatype alternatives only")
                alternatives.append(_well_typed_sparql(str(dt)))
            tests["Or"] = "!(" + " || ".join(alternatives) + ")"
        if checks[SH["class"]] is not None:
            classes = self._subclasses(store, str(checks[SH["class"]]))
            tests["Class"] = f"(isLiteral(?v) || NOT EXISTS {{ VALUES ?_c {{ {classes} }} ?v a ?_c }})"
        if tests:
            names = sorted(tests)
            binds = " ".join(f"BIND(COALESCE({tests[n]}, true) AS ?_{n})" for n in names)
            rows = self._query(store, f"SELECT ?this ?v {' '.join('?_' + n for n in names)} WHERE {{ "
                                      f"{target} ?this <{p}> ?v . {binds} "
                                      f"FILTER ({' || '.join('?_' + n for n in names)}) }}")
            for row in rows:
                for n in names:
                    if row["_" + n].value == "true":
                        out.append(v(row["this"].value, n, row["v"]))
        if checks[SH.uniqueLang] is not None:
            rows = self._query(store, f"SELECT DISTINCT ?this WHERE {{ {target} ?this <{p}> ?a, ?b . "
                                      f"FILTER (LANG(?a) != \"\" && !sameTerm(?a, ?b) && "
                                      f"LCASE(LANG(?a)) = LCASE(LANG(?b))) }}")
            out += [Violation(row["this"].value, message, p, None, "Violation",
                              _component("UniqueLang")) for row in rows]
        return out

    def _node_or(self, store, target: str, shape, node_or) -> list[Violation]:
        paths = []
        for alt in self._list(node_or):
            path = self.shapes.value(alt, SH.path)
            keys = {k for k, _o in self.shapes.predicate_objects(alt)}
            if path is None or keys - {SH.path, SH.minCount} or \
                    int(self.shapes.value(alt, SH.minCount)) != 1:
                raise Unsupported("node-level sh:or supports alternatives with sh:minCount 1")
            paths.append(str(path))
        filters = " ".join(f"FILTER NOT EXISTS {{ ?this <{p}> ?_x{i} }}" for i, p in enumerate(paths))
        message = str(self.shapes.value(shape, SH.message) or "")
        return [Violation(row["this"].value, message, None, row["this"].value, "Violation",
                          _component("Or"))
                for row in self._query(store, f"SELECT ?this WHERE {{ {target} {filters} }}")]

    def _sparql(self, store, target: str, constraint) -> list[Violation]:
        select = str(self.shapes.value(constraint, SH.select))
        message = str(self.shapes.value(constraint, SH.message) or "")
        text = select.replace("$this", "?this")
        if "?this" not in text:
            raise Unsupported("a SPARQL constraint must use $this")
        out = []
        result = self._query(store, f"SELECT * WHERE {{ {{ {text} }} {target} }}")
        names = {v.value for v in result.variables}
        for row in result:
            this = row["this"]
            if this is None:
                continue
            path = row["path"].value if "path" in names and row["path"] is not None else None
            value = row["value"] if "value" in names and row["value"] is not None else this
            out.append(Violation(this.value, message, path, _term_text(value), "Violation",
                                 _component("SPARQL")))
        return out


def sort_key(v: Violation) -> tuple:
    return (v.focus, v.message, v.path or "", v.value or "", v.component)

