"""RDF terms written straight as N-Triples text.

The compiler writes millions of triples; building a term object per triple cost more than
everything else it does, so terms are strings in N-Triples syntax (pyoxigraph parses every
line when the release is loaded, so a malformed term cannot slip by).
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from functools import cache

import pyoxigraph as ox

from . import namespaces as ns

Term = str  # an N-Triples term: <iri>, "literal"@lang, "literal"^^<datatype>
# The escapes of canonical N-Triples as pyoxigraph writes them, so that the text the compiler
# writes is the text a content hash is computed over (`content_hash.py`).
_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t",
                          "\b": "\\b", "\f": "\\f"}
                         | {c: f"\\u{c:04X}" for c in (*range(0, 8), 0x0B, *range(0x0E, 0x20), 0x7F)})
_DATE = re.compile(r"^(-?\d{4})(?:-(\d{2}))?(?:-(\d{2}))?$")


def iri(value: str) -> Term:
    return f"<{value}>"


def checked_iri(value: str) -> Term:
    """An IRI from authoring input: pyoxigraph checks its syntax (ValueError if malformed)."""
    return f"<{ox.NamedNode(value).value}>"


def iri_of(term: Term) -> str:
    return term[1:-1]


def literal(value: str, language: str | None = None, datatype: Term | None = None) -> Term:
    text = '"' + value.translate(_ESCAPES) + '"'
    if language:
        return f"{text}@{language}"
    if datatype and datatype != XSD_STRING:
        return f"{text}^^{datatype}"
    return text


@cache
def mg(local: str) -> Term:
    return iri(ns.MG + local)


@cache
def crm(local: str) -> Term:
    return iri(ns.CRM + local)


RDF_TYPE = iri(ns.RDF + "type")
XSD_STRING = iri(ns.XSD + "string")
XSD_DATE = iri(ns.XSD + "date")
XSD_DATETIME = iri(ns.XSD + "dateTime")
XSD_DECIMAL = iri(ns.XSD + "decimal")
XSD_INTEGER = iri(ns.XSD + "integer")
XSD_BOOLEAN = iri(ns.XSD + "boolean")
XSD_GYEAR = iri(ns.XSD + "gYear")
XSD_GYEARMONTH = iri(ns.XSD + "gYearMonth")
TRUE = literal("true", datatype=XSD_BOOLEAN)


def number(value) -> Term:
    if isinstance(value, bool):
        return literal(str(value).lower())
    if isinstance(value, int):
        # xsd:integer, not xsd:nonNegativeInteger: Oxigraph stores derived integer types as
        # xsd:integer, and dumps and served documents must agree. SHACL checks the sign.
        return literal(str(value), datatype=XSD_INTEGER)
    try:
        Decimal(str(value))
    except (InvalidOperation, ValueError):
        return literal(str(value))
    return literal(str(value), datatype=XSD_DECIMAL)


def date_literal(value: str) -> Term:
    """A date literal at the precision given: xsd:gYear, xsd:gYearMonth or xsd:date."""
    m = _DATE.match(value)
    if not m:
        return literal(value)
    if m.group(3):
        return literal(value, datatype=XSD_DATE)
    if m.group(2):
        return literal(value, datatype=XSD_GYEARMONTH)
    return literal(value, datatype=XSD_GYEAR)


_DAYS = {1: 31, 2: 29, 3: 31, 4: 30, 5: 31, 6: 30, 7: 31, 8: 31, 9: 30, 10: 31, 11: 30, 12: 31}


def edtf_bounds(edtf: str) -> tuple[str, str] | None:
    """Outer bounds (first day, last day) of a simple EDTF date or interval, or None.

    Handles YYYY, YYYY-MM, YYYY-MM-DD, with the ~ ? % qualifiers, and intervals A/B of those.
    The bounds never claim more precision than the string: "1992" spans the whole year.
    """
    parts = edtf.split("/")
    if len(parts) > 2:
        return None
    lows, highs = [], []
    for part in parts:
        m = _DATE.match(part.strip().rstrip("~?%"))
        if not m:
            return None
        year, month, day = m.group(1), m.group(2), m.group(3)
        if month and not 1 <= int(month) <= 12:
            return None
        lows.append(f"{year}-{month or '01'}-{day or '01'}")
        if day:
            highs.append(f"{year}-{month}-{day}")
        elif month:
            last = _DAYS[int(month)]
            if int(month) == 2 and not _leap(int(year)):
                last = 28
            highs.append(f"{year}-{month}-{last:02d}")
        else:
            highs.append(f"{year}-12-31")
    return lows[0], highs[-1]


def _leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def bound(day: str, clock: str) -> Term:
    """A time-span bound: xsd:dateTime for a whole day (the type CIDOC-CRM and OWL 2 use)."""
    if "T" in day or not _DATE.match(day) or day.count("-") < 2:
        return literal(day)
    return literal(day + clock, datatype=XSD_DATETIME)
