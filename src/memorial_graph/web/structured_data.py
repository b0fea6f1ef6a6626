"""Metadata in pages for reference managers and search engines: Zotero-readable
`citation_*` (Highwire) and Dublin Core meta tags, and schema.org JSON-LD (a `Dataset` on the
home page; on an entity's page its schema.org types and names)."""

from __future__ import annotations

import json

import pyoxigraph as ox
from flask import Flask, g
from markupsafe import Markup

from .. import namespaces as ns
from ..formats import FORMATS
from ..queries import load
from .citation import Citation

RDF_TYPE = ns.RDF + "type"


def init_app(app: Flask) -> None:
    app.add_template_global(home_metadata)
    app.add_template_global(FORMATS["jsonld"].media_type, "jsonld_media_type")


def schema_types(snap, class_iris) -> list[str]:
    """The schema.org classes of an entity with these ontology classes (most general last)."""
    found: list[str] = []
    for cls in sorted(class_iris):
        rows = snap.memo(("schema-types", cls), lambda c=cls: [
            r["type"].value for r in snap.store.select(load("schema-types"),
                                                       {ox.Variable("class"): ox.NamedNode(c)})])
        found += [t for t in rows if t not in found]
    return [t for t in found if t != ns.SCHEMA + "Thing"] or [ns.SCHEMA + "Thing"]


def script(data: dict) -> Markup:
    """JSON-LD for a <script> element of the JSON-LD type: `<`, `>` and `&` escaped, so no
    value can end the element."""
    text = json.dumps(data, ensure_ascii=False, indent=1)
    return Markup(text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))


def _local(iri: str) -> str:
    return iri.removeprefix(ns.SCHEMA)


def entity_jsonld(view, triples, snap, c: Citation) -> dict:
    classes = [t.object.value for t in triples
               if t.subject.value == view.iri and t.predicate.value == RDF_TYPE]
    types = [_local(t) for t in schema_types(snap, classes)]
    data: dict = {"@context": "https://schema.org", "@type": types if len(types) > 1 else types[0],
                  "@id": view.iri, "identifier": view.ident, "url": view.iri}
    names = [{"@value": text, "@language": lang} if lang else text
             for lang, text in view.pref_labels]
    data["name"] = names or view.title
    alternates = [{"@value": text, "@language": lang} if lang else text
                  for lang, text in view.alt_labels]
    if alternates:
        data["alternateName"] = alternates
    if view.same_as:
        data["sameAs"] = view.same_as
    data["isPartOf"] = {"@type": "Dataset", "name": c.collection, "version": c.release,
                        "url": c.versioned.rsplit("/id/", 1)[0] if c.release != "live"
                        else c.stable}
    return data


def entity_meta(c: Citation, view) -> list[tuple[str, str]]:
    """(name, content) of the meta tags of an entity's page."""
    day = c.issued.strftime("%Y/%m/%d")
    authors = list(c.editors) or [c.publisher]
    out = [("citation_title", c.title)]
    out += [("citation_author", a) for a in authors]
    out += [("citation_publisher", c.publisher), ("citation_publication_date", day),
            ("citation_online_date", day), ("citation_public_url", c.versioned),
            ("citation_abstract_html_url", c.stable), ("citation_version", c.release),
            ("DC.title", c.title)]
    out += [("DC.creator", a) for a in authors]
    out += [("DC.publisher", c.publisher), ("DC.date", c.issued.isoformat()),
            ("DC.identifier", c.stable), ("DC.identifier", c.versioned), ("DC.type", "Dataset"),
            ("DC.relation.ispartof", c.collection)]
    if c.claim_hash:
        out.append(("DC.identifier", f"sha256:{c.claim_hash}"))
    return out


def home_metadata() -> dict:
    """The home page's JSON-LD (`Dataset`) and meta tags, for templates/home.html."""
    site = g.site
    snap = site.snapshot()
    urls = site.urls
    meta = snap.meta
    title = meta.get("title", "memorial-graph collection")
    data: dict = {"@context": "https://schema.org", "@type": "Dataset", "@id": site.uris.dataset,
                  "name": title, "url": urls.absolute(urls.home()),
                  "identifier": site.uris.base, "version": snap.version,
                  "dateModified": snap.created.isoformat(), "isAccessibleForFree": True}
    if meta.get("description"):
        data["description"] = meta["description"]
    if meta.get("license"):
        data["license"] = meta["license"]
    if meta.get("publisher"):
        data["publisher"] = {"@type": "Organization", "name": meta["publisher"]}
    if meta.get("editors"):
        data["editor"] = [{"@type": "Person", "name": e} for e in sorted(meta["editors"])]
    if snap.release is not None:
        data["distribution"] = [
            {"@type": "DataDownload", "contentUrl": urls.absolute(urls.dump(f"{FORMATS[n].dump}.gz")),
             "encodingFormat": FORMATS[n].media_type}
            for n in ("nquads", "trig") if f"{FORMATS[n].dump}.gz" in snap.release.manifest.get("dumps", [])]
    tags = [("DC.title", title), ("DC.type", "Dataset"), ("DC.identifier", site.uris.base),
            ("DC.date", snap.created.date().isoformat())]
    if meta.get("publisher"):
        tags.append(("DC.publisher", meta["publisher"]))
    if meta.get("license"):
        tags.append(("DC.rights", meta["license"]))
    return {"jsonld": script(data), "meta": tags}
