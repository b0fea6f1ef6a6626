"""What the collection and its endpoint are: the VoID + DCAT dataset description (`/void`)
and the SPARQL 1.1 Service Description (a bare GET of `/sparql`)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

import pyoxigraph as ox
from flask import Blueprint, Flask, Response, g, render_template, request
from flask_babel import gettext, ngettext

from .. import namespaces as ns
from ..formats import (
    FORMATS,
    GZIP,
    RDF_DOCUMENT,
    SERVICE_RESULT_FORMATS,
    Format,
    dump_media_type,
    jsonld_content_type,
)
from ..queries import load
from ..store.base import Dataset
from .changes import void_triples as change_void_triples
from .conneg import jsonld_form, negotiate, negotiate_language
from .documents import serialize
from .dumps import dump_files
from .i18n import DEFAULT, interface_language, moment, names_preference, number

bp = Blueprint("dataset_description", __name__)
SD = ns.SD
# Machine descriptions: Turtle unless asked otherwise (a browser gets the HTML page).
DESCRIPTION_FORMATS = ("turtle",) + tuple(f for f in RDF_DOCUMENT if f != "turtle")
# The collection's own IRI: its home page unless an RDF client asks for the description.
COLLECTION_FORMATS = ("html",) + tuple(f for f in DESCRIPTION_FORMATS if f != "html")


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)


def void_triples() -> list[ox.Triple]:
    site = g.site
    snap = site.snapshot()
    base = site.uris
    urls = site.urls
    meta = snap.meta
    ds = ox.NamedNode(base.dataset)
    V, D, DC, X = ns.VOID, ns.DCAT, ns.DCTERMS, ns.XSD

    def n(iri):
        return ox.NamedNode(iri)

    def integer(value):
        return ox.Literal(str(value), datatype=n(X + "integer"))

    def t(s, p, o):
        return ox.Triple(s, n(p), o)

    # The dataset the description and its dumps are of: the release's graphs but its history
    # (every release and change so far, which the store also holds and `history.nq` serves).
    scope = None
    quads = snap.quads
    if snap.release is not None:
        scope = Dataset(default_graphs=tuple(iri for name, iri in base.graphs.items()
                                             if name != "history"))
        quads = snap.release.quads or quads      # the quads of dataset.nq
    stats = snap.memo("void-stats", lambda: snap.store.select(load("void-stats"), dataset=scope)[0])
    out = [
        t(ds, ns.RDF + "type", n(V + "Dataset")),
        t(ds, ns.RDF + "type", n(D + "Dataset")),
        t(ds, DC + "title", ox.Literal(meta.get("title", "memorial-graph collection"), language="en")),
        t(ds, V + "triples", integer(quads)),
        t(ds, V + "entities", integer(stats["entities"].value)),
        t(ds, V + "classes", integer(stats["classes"].value)),
        t(ds, V + "properties", integer(stats["properties"].value)),
        t(ds, V + "distinctSubjects", integer(stats["subjects"].value)),
        t(ds, V + "sparqlEndpoint", n(urls.absolute(urls.sparql()))),
        t(ds, V + "uriSpace", ox.Literal(base.entity(""))),
        t(ds, V + "rootResource", n(urls.absolute(urls.home()))),
        t(ds, D + "landingPage", n(urls.absolute(urls.home()))),
        t(ds, V + "vocabulary", n(ns.MG)),
        t(ds, V + "vocabulary", n(ns.CRM)),
        t(ds, V + "vocabulary", n(ns.SCHEMA)),
        t(ds, V + "vocabulary", n(ns.OA)),
        t(ds, V + "vocabulary", n(ns.SKOS)),
    ]
    if meta.get("description"):
        out.append(t(ds, DC + "description", ox.Literal(meta["description"], language="en")))
    if meta.get("license"):
        out.append(t(ds, DC + "license", n(meta["license"])))
    if meta.get("publisher"):
        out.append(t(ds, DC + "publisher", ox.Literal(meta["publisher"])))
    if snap.release:
        out.append(t(ds, DC + "modified", ox.Literal(snap.created.isoformat(),
                                                      datatype=n(X + "dateTime"))))
        out.append(t(ds, ns.OWL + "versionInfo", ox.Literal(snap.version)))
        sums = snap.release.checksums
        for name in (f"{FORMATS[f].dump}.gz" for f in ("nquads", "trig")):
            if name not in snap.release.manifest.get("dumps", []):
                continue
            url = n(urls.absolute(urls.dump(name)))
            dist = n(f"{base.dataset.split('#')[0]}#dist-{name.split('.')[1]}")
            out += [
                t(ds, V + "dataDump", url),
                t(ds, D + "distribution", dist),
                t(dist, ns.RDF + "type", n(D + "Distribution")),
                t(dist, D + "downloadURL", url),
                t(dist, D + "mediaType", ox.Literal(dump_media_type(name[:-3]))),
                t(dist, D + "compressFormat", ox.Literal(GZIP)),
            ]
            if name in sums:
                out.append(t(dist, "http://spdx.org/rdf/terms#checksumValue",
                             ox.Literal(sums[name])))
    for iri in meta.get("examples", []):
        out.append(t(ds, V + "exampleResource", n(iri)))
    service = n(urls.absolute(urls.sparql()))
    out += [t(ds, D + "accessService", service),
            t(service, ns.RDF + "type", n(D + "DataService")),
            t(service, D + "endpointURL", service)]
    out += change_void_triples(ds)   # the change feed and every kept release
    for row in snap.memo("void-classes", lambda: snap.store.select(load("void-classes"),
                                                                   dataset=scope)):
        digest = hashlib.sha1(row["class"].value.encode()).hexdigest()[:12]
        part = n(f"{base.dataset.split('#')[0]}#class-{digest}")
        out += [t(ds, V + "classPartition", part), t(part, V + "class", row["class"]),
                t(part, V + "entities", integer(row["n"].value))]
    return out


@dataclass
class Card:
    """The dataset description as a reader sees it (`/void` in a browser): read from the same
    triples the machine-readable VoID serves, plus the dumps' sizes."""

    title: str = ""
    description: str = ""
    counts: list[tuple[str, int]] = field(default_factory=list)       # (what, how many)
    kinds: list[tuple[str, str, int]] = field(default_factory=list)   # (group, class label, n)
    other_classes: list[tuple[str, int]] = field(default_factory=list)
    links: list[tuple[str, str, str]] = field(default_factory=list)   # (what, href, text)
    dumps: list[dict] = field(default_factory=list)
    vocabularies: list[tuple[str, str]] = field(default_factory=list)  # (prefixed, IRI)
    examples: list[tuple[str, str, str]] = field(default_factory=list)  # (label, href, its lang)


def void_card(triples: list[ox.Triple], lang: str = DEFAULT) -> Card:
    """The card in the interface's language (its names in `lang` where the collection has
    them): the words are the page's, the numbers and titles the description's."""
    site = g.site
    snap = site.snapshot()
    urls = site.urls
    ds = site.uris.dataset
    about: dict[str, list] = {}
    for t in triples:
        about.setdefault(t.subject.value, []).append((t.predicate.value, t.object))

    def values(subject: str, prop: str) -> list:
        return [o for p, o in about.get(subject, ()) if p == prop]

    def one(subject: str, prop: str) -> str:
        found = values(subject, prop)
        return found[0].value if found else ""

    V, D, DC = ns.VOID, ns.DCAT, ns.DCTERMS
    card = Card(one(ds, DC + "title"), one(ds, DC + "description"))
    partitions = []
    for part in values(ds, V + "classPartition"):
        cls, n = one(part.value, V + "class"), one(part.value, V + "entities")
        if cls and n:
            partitions.append((cls, int(n)))
    records, sources, claims, others = [], [], 0, []
    for cls, n in sorted(partitions, key=lambda p: (-p[1], p[0])):
        name = cls.removeprefix(ns.MG) if cls.startswith(ns.MG) else None
        label = site.property_label(snap, cls)
        if name is not None and name in snap.classes.entities:
            records.append(("records", label, n))
        elif name is not None and name in snap.classes.sources:
            sources.append(("sources", label, n))
        else:
            if cls == ns.MG + "Claim":
                claims = n
            others.append((label, n))
    def count(prop: str) -> int:
        return int(one(ds, V + prop) or 0)

    n_sources = sum(n for _g, _l, n in sources)
    card.counts = [
        (ngettext("triple", "triples", count("triples")), count("triples")),
        (ngettext("record (entity)", "records (entities)", count("entities")), count("entities")),
        (ngettext("claim", "claims", claims), claims),
        (ngettext("source", "sources", n_sources), n_sources),
        (ngettext("class", "classes", count("classes")), count("classes")),
        (ngettext("property", "properties", count("properties")), count("properties")),
        (ngettext("distinct subject", "distinct subjects", count("distinctSubjects")),
         count("distinctSubjects"))]
    card.kinds = records + sources
    card.other_classes = others
    links = [(gettext("SPARQL endpoint"), urls.sparql(), one(ds, V + "sparqlEndpoint"))]
    if one(ds, DC + "license"):
        links.append((gettext("licence"), one(ds, DC + "license"), one(ds, DC + "license")))
    if one(ds, DC + "publisher"):
        links.append((gettext("publisher"), "", one(ds, DC + "publisher")))
    if one(ds, ns.OWL + "versionInfo"):
        links.append((gettext("release"), urls.releases(), one(ds, ns.OWL + "versionInfo")))
    if one(ds, DC + "modified"):
        links.append((gettext("published"), "", moment(one(ds, DC + "modified")) + " UTC"))
    links.append((gettext("releases kept"), urls.releases(),
                  number(len(values(ds, D + "hasVersion")))))
    links.append((gettext("change feed"), urls.feed(), urls.absolute(urls.feed())))
    links.append((gettext("URI space"), "", one(ds, V + "uriSpace")))
    links.append((gettext("harvesters' address"), urls.well_known_void(),
                  urls.absolute(urls.well_known_void())))
    card.links = links
    sizes = {}
    if snap.release is not None:
        sizes = {name: snap.release.artifact(name).stat().st_size
                 for name in dump_files(snap.release)}
    for dist in values(ds, D + "distribution"):
        url = one(dist.value, D + "downloadURL")
        name = url.rsplit("/", 1)[-1]
        card.dumps.append({"name": name, "href": urls.dump(name),
                           "media_type": one(dist.value, D + "mediaType"),
                           "compression": one(dist.value, D + "compressFormat"),
                           "bytes": sizes.get(name),
                           "sha256": one(dist.value, "http://spdx.org/rdf/terms#checksumValue")})
    prefixes = {iri: prefix for prefix, iri in ns.PREFIXES.items()}
    card.vocabularies = [(prefixes.get(v.value, v.value), v.value)
                         for v in values(ds, V + "vocabulary")]
    card.examples = []
    for v in values(ds, V + "exampleResource"):
        label, label_lang = snap.label_in(v.value, lang) or (ns.compact(v.value), DEFAULT)
        card.examples.append((label, urls.href(v.value) or v.value, label_lang))
    return card


@bp.route("/void")
@bp.route("/void.<ext>")
@bp.route("/.well-known/void")      # where VoID (section 7.2) tells harvesters to look
def void(ext: str | None = None):
    fmt = negotiate(DESCRIPTION_FORMATS, request.headers.get("Accept"),
                    ext or request.args.get("format"))
    if fmt.name == "html":
        # The page's words follow the interface; its example records' names, the reader's
        # languages (as on the home page).
        names = negotiate_language(names_preference(), g.site.snapshot().label_languages,
                                   default=DEFAULT)
        response = Response(render_template(
            "void.html", card=void_card(void_triples(), names),
            alternates=[FORMATS[f] for f in RDF_DOCUMENT if f != "html"]),
            content_type=FORMATS["html"].content_type)
        response.headers["Vary"] = "Accept"
        response.headers["Content-Language"] = ", ".join(
            dict.fromkeys([interface_language(), names]))
        return response
    return void_response(fmt)


def void_response(fmt: Format) -> Response:
    """The dataset description in an RDF format; also what the collection's own IRI (the
    home page's URL) answers an RDF client."""
    form = jsonld_form(request.headers.get("Accept")) if fmt.name == "jsonld" else ""
    body = serialize(void_triples(), fmt.name, g.site.uris, form)
    content_type = jsonld_content_type(form) if form else fmt.content_type
    urls = g.site.urls
    return Response(body, content_type=content_type, headers={
        "Vary": "Accept", "Content-Location": urls.void(fmt.extension),
        "Link": f'<{urls.home()}>; rel="alternate"; type="{FORMATS["html"].media_type}"'})




def service_description() -> Response:
    fmt = negotiate(DESCRIPTION_FORMATS, request.headers.get("Accept"), request.args.get("format"))
    if fmt.name == "html":
        return Response(render_template("query.html", query=None), mimetype="text/html")
    site = g.site
    endpoint = ox.NamedNode(request.base_url)
    service = ox.BlankNode("service")
    dataset = ox.BlankNode("dataset")
    default_graph = ox.BlankNode("default")
    snap = site.snapshot()

    def t(s, p, o):
        return ox.Triple(s, ox.NamedNode(p), o)

    triples = [
        t(service, ns.RDF + "type", ox.NamedNode(SD + "Service")),
        t(service, SD + "endpoint", endpoint),
        t(service, SD + "supportedLanguage", ox.NamedNode(SD + "SPARQL11Query")),
        t(service, SD + "feature", ox.NamedNode(SD + "UnionDefaultGraph")),
        t(service, SD + "feature", ox.NamedNode(SD + "BasicFederatedQuery")),
        t(service, SD + "defaultDataset", dataset),
        t(dataset, ns.RDF + "type", ox.NamedNode(SD + "Dataset")),
        t(dataset, SD + "defaultGraph", default_graph),
        t(default_graph, ns.RDF + "type", ox.NamedNode(SD + "Graph")),
        t(default_graph, ns.VOID + "triples", ox.Literal(str(snap.quads),
                                                         datatype=ox.NamedNode(ns.XSD + "integer"))),
        t(service, ns.DCTERMS + "description", ox.Literal(
            "Read-only SPARQL 1.1 endpoint. Without FROM / FROM NAMED in the query or "
            "default-graph-uri / named-graph-uri in the request, the default graph is the union "
            "of all named graphs; with them, exactly the graphs they name. Relative IRIs resolve "
            "against this endpoint's URL. SERVICE is limited to an allow-list; each query has a "
            "time limit.", language="en")),
    ]
    for name in SERVICE_RESULT_FORMATS:
        triples.append(t(service, SD + "resultFormat", ox.NamedNode(FORMATS[name].w3c_iri)))
    body = serialize(triples, fmt.name, site.uris)
    return Response(body, content_type=fmt.content_type, headers={"Vary": "Accept"})
