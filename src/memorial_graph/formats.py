"""Every format the project reads or writes, defined once.

A format has a short name (the `format=` value and the CLI choice), the media type it is sent
as, the URL extension and file suffix, other tokens clients use for it, the pyoxigraph format
that writes it, its W3C format IRI (for the service description) and, for RDF datasets, the
name of its dump in a release. Content negotiation, serialisation, the dumps, the service
description and the CLI all read this table; adding a format is one entry here.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox

from .jsonld import reshape

W3C_FORMATS = "http://www.w3.org/ns/formats/"


@dataclass(frozen=True)
class Format:
    name: str
    media_type: str
    extension: str
    aliases: tuple[str, ...] = ()
    rdf: ox.RdfFormat | None = None                # writes graphs (and datasets)
    results: ox.QueryResultsFormat | None = None   # writes SELECT / ASK results
    w3c: str | None = None                         # local name under W3C_FORMATS
    dump: str | None = None                        # file name of the release's dump
    text: bool = False                             # textual though not text/* or +json/+xml

    @property
    def content_type(self) -> str:
        """The Content-Type header value (text and JSON/XML types are UTF-8)."""
        textual = self.text or self.media_type.startswith("text/") or self.media_type.endswith(
            ("+json", "+xml", "/json", "/xml"))
        return f"{self.media_type}; charset=utf-8" if textual else self.media_type

    @property
    def w3c_iri(self) -> str | None:
        return W3C_FORMATS + self.w3c if self.w3c else None

    def tokens(self) -> tuple[str, ...]:
        return (self.name, self.extension, self.media_type, *self.aliases)


# Aliases may be shared: a token (`xml`, `json`, `application/json`) means the format among
# those a response offers, so `format=xml` is SPARQL XML for solutions and RDF/XML for a graph,
# `json` SPARQL JSON or JSON-LD, as Fuseki and Virtuoso read them and SPARQLWrapper sends them.
FORMATS: dict[str, Format] = {f.name: f for f in (
    Format("html", "text/html", "html", ("htm", "application/xhtml+xml")),
    Format("turtle", "text/turtle", "ttl", ("turtle", "application/x-turtle", "application/turtle",
                                           "n3", "text/n3", "text/rdf+n3", "application/n3"),
           rdf=ox.RdfFormat.TURTLE, w3c="Turtle", dump="dataset.ttl"),
    Format("jsonld", "application/ld+json", "jsonld", ("json-ld", "json", "application/json",
                                                       "application/x-json+ld"),
           rdf=ox.RdfFormat.JSON_LD, w3c="JSON-LD", dump="dataset.jsonld"),
    Format("rdfxml", "application/rdf+xml", "rdf", ("xml-rdf", "rdf+xml", "rdf/xml", "owl", "xml",
                                                    "application/xml", "text/xml"),
           rdf=ox.RdfFormat.RDF_XML, w3c="RDF_XML"),
    # N-Triples was served as text/plain before it had a media type of its own.
    Format("ntriples", "application/n-triples", "nt", ("n-triples", "ntriples", "text/plain"),
           rdf=ox.RdfFormat.N_TRIPLES, w3c="N-Triples"),
    Format("trig", "application/trig", "trig", ("application/x-trig",), rdf=ox.RdfFormat.TRIG,
           w3c="TriG", dump="dataset.trig"),
    Format("nquads", "application/n-quads", "nq", ("n-quads", "nquads", "text/x-nquads"),
           rdf=ox.RdfFormat.N_QUADS, w3c="N-Quads", dump="dataset.nq"),
    Format("json", "application/sparql-results+json", "srj", ("application/json",
                                                              "sparql-results+json"),
           results=ox.QueryResultsFormat.JSON, w3c="SPARQL_Results_JSON"),
    Format("xml", "application/sparql-results+xml", "srx", ("application/xml", "text/xml",
                                                             "sparql-results+xml"),
           results=ox.QueryResultsFormat.XML, w3c="SPARQL_Results_XML"),
    Format("csv", "text/csv", "csv", (), results=ox.QueryResultsFormat.CSV,
           w3c="SPARQL_Results_CSV"),
    Format("tsv", "text/tab-separated-values", "tsv", (), results=ox.QueryResultsFormat.TSV,
           w3c="SPARQL_Results_TSV"),
    Format("text", "text/plain", "txt"),
    Format("sparql", "application/sparql-query", "rq"),   # a saved query's text
    # Citations, negotiated on /id and /doc as DOI resolvers do
    Format("bibtex", "application/x-bibtex", "bib", ("bibtex", "text/x-bibtex"), text=True),
    Format("csljson", "application/vnd.citationstyles.csl+json", "csl", ("csl-json",)),
    Format("ris", "application/x-research-info-systems", "ris", (), text=True),
    Format("bibliography", "text/x-bibliography", "cite", ()),
    # Memento TimeMaps (RFC 7089, in RFC 6690 link format), linksets (RFC 9264) and the
    # change feed (Activity Streams 2.0)
    Format("linkformat", "application/link-format", "wlnk", (), text=True),
    Format("linkset", "application/linkset", "linkset", (), text=True),
    Format("linksetjson", "application/linkset+json", "lsj", ()),
    Format("activity", "application/activity+json", "as", ()),
)}

# What each kind of response can be sent as; the first is the default.
RDF_DOCUMENT = ("html", "turtle", "jsonld", "rdfxml", "ntriples", "nquads", "trig")
GRAPH_RESULTS = ("turtle", "jsonld", "rdfxml", "ntriples", "trig", "nquads", "html")
SOLUTION_RESULTS = ("json", "xml", "csv", "tsv", "html")
BOOLEAN_RESULTS = ("json", "xml", "csv", "tsv", "html")
CITATIONS = ("bibtex", "csljson", "ris", "bibliography")
# A document's representations, citations included (RDF first: they win a tie).
DOCUMENT_OR_CITATION = RDF_DOCUMENT + CITATIONS
TIMEMAP = ("linkformat", "json")
LINKSET = ("linksetjson", "linkset")
# Listings (releases, changelogs): a page, JSON, or RDF
LISTING = ("html", "json") + tuple(f for f in RDF_DOCUMENT if f != "html")
RESULT_FORMATS = tuple(name for name, f in FORMATS.items() if f.results is not None)
DUMP_FORMATS = tuple(name for name, f in FORMATS.items() if f.dump is not None)
SERVICE_RESULT_FORMATS = RESULT_FORMATS + tuple(
    name for name, f in FORMATS.items() if f.rdf is not None)

# The parameters that name a format explicitly, in the order they are read: `format` (ours,
# Virtuoso's), `output` (Fuseki's), `results` (SPARQLWrapper sends all three).
FORMAT_PARAMETERS = ("format", "output", "results")

# The JSON-LD document forms a client may ask for with the `profile` parameter of the media
# type (JSON-LD 1.1, section 9.1): a form is one of these, or "flattened compacted" (both
# profiles, space-separated). Documents are compacted (with the project's prefixes as their
# @context) unless asked otherwise.
JSONLD_NS = "http://www.w3.org/ns/json-ld#"
JSONLD_PROFILES = ("expanded", "compacted", "flattened")
JSONLD_DEFAULT_FORM = "compacted"


def jsonld_content_type(form: str) -> str:
    """The Content-Type of a JSON-LD document in `form` (e.g. "compacted")."""
    profile = " ".join(JSONLD_NS + name for name in form.split())
    return f'{FORMATS["jsonld"].content_type}; profile="{profile}"'


# Release files besides the dumps, and how they are sent.
GZIP = "application/gzip"
CHECKSUMS = ("SHA256SUMS", "text/plain")
JSON = "application/json"
RELEASE_FILES = {"history.nq": FORMATS["nquads"].media_type, "changes.json": JSON}


def by_token(token: str, offered: tuple[str, ...] | None = None) -> Format | None:
    """The format a `format=` value or URL extension names among `offered` (all formats when
    None): a short name or extension first, then a media type or alias; None if none."""
    token = token.strip().lower()
    candidates = [FORMATS[name] for name in offered] if offered else list(FORMATS.values())
    for f in candidates:
        if token in (f.name, f.extension):
            return f
    for f in candidates:
        if token in f.tokens():
            return f
    return None


def by_suffix(path: str) -> Format | None:
    """The RDF format of a file, from its name (`.nq`, `.ttl`, ...)."""
    suffix = path.rsplit(".", 1)[-1].lower() if "." in path else ""
    f = by_token(suffix)
    return f if f is not None and f.rdf is not None else None


def dump_media_type(file_name: str) -> str | None:
    """How a release file is sent: its format's media type; gzip for `.gz`; None if unknown."""
    if file_name.endswith(".gz"):
        return GZIP if dump_media_type(file_name[:-3]) else None
    if file_name == CHECKSUMS[0]:
        return CHECKSUMS[1]
    if file_name in RELEASE_FILES:
        return RELEASE_FILES[file_name]
    for f in FORMATS.values():
        if f.dump == file_name:
            return f.media_type
    return None


def serialize(triples, name: str, prefixes: dict[str, str],
              jsonld_form: str = JSONLD_DEFAULT_FORM) -> bytes:
    """Triples (or quads, for dataset formats) in the named RDF format; JSON-LD in
    `jsonld_form` (see JSONLD_PROFILES) with `prefixes` as its @context."""
    rdf = FORMATS[name].rdf
    if rdf is None:
        raise ValueError(f"{name} is not an RDF format")
    if rdf == ox.RdfFormat.JSON_LD:
        return reshape(ox.serialize(triples, format=rdf), prefixes, jsonld_form)
    if rdf in (ox.RdfFormat.N_TRIPLES, ox.RdfFormat.N_QUADS) or not prefixes:
        return ox.serialize(triples, format=rdf)
    return ox.serialize(triples, format=rdf, prefixes=prefixes)
