"""'Cite this': a citation pinned to one release, as plain text, BibTeX, CSL-JSON and RIS.

A citation names the collection's editors (or, without any, its publisher as the author),
the publisher, the release and its date, the versioned URL (`{base}releases/{id}/id/{ident}`,
which shows the document as that release served it) beside the stable URI, and the date the
reader accessed it; a claim's citation names the claim and its content hash. Pages show the
citation without an access date (a page is the same bytes whenever it is read); the
negotiated and downloaded citations carry the day of the request.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import date

from .. import namespaces as ns
from ..content_hash import HASH_PROPERTY

P140 = ns.CRM + "P140_assigned_attribute_to"


@dataclass(frozen=True)
class Citation:
    ident: str
    title: str
    collection: str
    publisher: str
    release: str
    issued: date                     # the release's date
    versioned: str                   # the identifier as this release has it
    stable: str                      # the identifier, whatever the release
    editors: tuple[str, ...] = ()
    claim_hash: str | None = None    # for a claim: its content hash
    kind: str = "dataset"            # a CSL type
    extra: dict = field(default_factory=dict)

    @property
    def key(self) -> str:
        return f"mg-{self.ident}-{self.release.split('-', 1)[0].lower()}"

    @property
    def note(self) -> str:
        text = f"Release {self.release} of {self.collection}; stable URI {self.stable}"
        if self.claim_hash:
            text += f"; claim {self.ident}, SHA-256 {self.claim_hash}"
        return text


_BIBTEX_SPECIAL = re.compile(r"([&%$#_{}])")


def _tex(text: str) -> str:
    text = text.replace("\\", r"\textbackslash{}").replace("~", r"\textasciitilde{}")
    return _BIBTEX_SPECIAL.sub(r"\\\1", text).replace("^", r"\^{}")


def _names(c: Citation) -> str:
    return ", ".join(c.editors) + " (eds.)" if c.editors else c.publisher


def plain(c: Citation, accessed: date | None = None) -> str:
    text = (f"{_names(c)} ({c.issued.year}). “{c.title}”. In {c.collection}, release "
            f"{c.release} ({c.issued.isoformat()}). {c.publisher}. {c.versioned}")
    if c.claim_hash:
        text += f" (claim {c.ident}, SHA-256 {c.claim_hash})"
    text += f". Stable URI: {c.stable}."
    if accessed is not None:
        text += f" Accessed {accessed.isoformat()}."
    return text


def bibtex(c: Citation, accessed: date | None = None) -> str:
    fields = [("title", _tex(c.title))]
    if c.editors:
        fields.append(("editor", " and ".join(_tex(e) for e in c.editors)))
    else:
        fields.append(("author", "{" + _tex(c.publisher) + "}"))   # a corporate author
    fields += [("publisher", _tex(c.publisher)), ("organization", _tex(c.collection)),
               ("year", str(c.issued.year)), ("month", str(c.issued.month)),
               ("version", _tex(c.release)), ("url", c.versioned),
               ("howpublished", "\\url{" + c.versioned + "}"), ("note", _tex(c.note))]
    if accessed is not None:
        fields.append(("urldate", accessed.isoformat()))
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
    return f"@misc{{{c.key},\n{body}\n}}\n"


def _date_parts(d: date) -> dict:
    return {"date-parts": [[d.year, d.month, d.day]]}


def csl_item(c: Citation, accessed: date | None = None) -> dict:
    names = [{"literal": e} for e in c.editors]
    item = {"id": c.key, "type": c.kind, "title": c.title, "container-title": c.collection,
            "publisher": c.publisher, "version": c.release, "URL": c.versioned,
            "issued": _date_parts(c.issued), "note": c.note}
    if names:
        item["editor"] = names
    else:
        item["author"] = [{"literal": c.publisher}]
    if accessed is not None:
        item["accessed"] = _date_parts(accessed)
    return item


def csl_json(c: Citation, accessed: date | None = None) -> str:
    """CSL-JSON: an array of items (the CSL data schema's form)."""
    return json.dumps([csl_item(c, accessed)], ensure_ascii=False, indent=2) + "\n"


def ris(c: Citation, accessed: date | None = None) -> str:
    lines = ["TY  - DATA", f"TI  - {c.title}"]
    lines += [f"A2  - {e}" for e in c.editors] or [f"AU  - {c.publisher}"]
    lines += [f"T2  - {c.collection}", f"PB  - {c.publisher}", f"PY  - {c.issued.year}",
              f"DA  - {c.issued:%Y/%m/%d}", f"ET  - {c.release}", f"UR  - {c.versioned}",
              f"N1  - {c.note}"]
    if accessed is not None:
        lines.append(f"Y2  - {accessed:%Y/%m/%d}")
    return "\n".join(lines + ["ER  - "]) + "\n"


WRITERS = {"bibtex": bibtex, "csljson": csl_json, "ris": ris, "bibliography": plain}


def render(c: Citation, fmt: str, accessed: date | None = None) -> str:
    """The citation in a format of `formats.CITATIONS`."""
    text = WRITERS[fmt](c, accessed)
    return text if text.endswith("\n") else text + "\n"


def on_page(c: Citation) -> dict[str, str]:
    """The texts a page shows (no access date: see the module's docstring)."""
    return {"plain": plain(c), "bibtex": bibtex(c).rstrip("\n"),
            "csl": csl_json(c).rstrip("\n"), "ris": ris(c).rstrip("\n")}


def for_document(view, triples, snap, uris) -> Citation:
    """The citation of an entity's (or a claim's) document in the snapshot's release."""
    meta = snap.meta
    collection = meta.get("title", "memorial-graph collection")
    publisher = meta.get("publisher", collection)
    own = {t.predicate.value: t.object.value for t in triples if t.subject.value == view.iri}
    title, claim_hash, kind = view.title, None, "dataset"
    if view.is_claim:
        claim_hash = own.get(HASH_PROPERTY)
        subject = own.get(P140)
        about = (snap.label(subject) or subject) if subject else view.title
        group = view.groups[0] if view.groups else None
        value = f" — {group.label}: {group.claims[0].value.text}" if group and group.claims else ""
        title = f"Claim {view.ident} about {about}{value}"
    release = snap.version
    versioned = uris.versioned(release, view.ident) if snap.release is not None else view.iri
    return Citation(view.ident, title, collection, publisher, release, snap.created.date(),
                    versioned, view.iri, tuple(sorted(meta.get("editors", []))), claim_hash,
                    kind)

