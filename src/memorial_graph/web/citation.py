"""'Cite this': a page's citation as plain text, BibTeX, CSL-JSON and RIS."""

from __future__ import annotations

import json


def citations(view, uri: str, collection: str, release: str, date: str) -> dict:
    year, month, day = (date[:10].split("-") + ["", "", ""])[:3]
    title = view.title
    plain = f"“{title}”. In {collection}. memorial-graph, release {release}, {date[:10]}. {uri}"
    key = f"mg-{view.ident}"
    bibtex = (f"@misc{{{key},\n  title = {{{title}}},\n  howpublished = {{\\url{{{uri}}}}},\n"
              f"  year = {{{year}}},\n  note = {{{collection}, release {release}}},\n"
              f"  url = {{{uri}}}\n}}")
    csl = json.dumps({"id": key, "type": "dataset", "title": title, "URL": uri,
                      "container-title": collection, "version": release,
                      "issued": {"date-parts": [[int(year), int(month), int(day)]]}},
                     ensure_ascii=False, indent=2)
    ris = "\n".join([
        "TY  - DATA", f"TI  - {title}", f"T2  - {collection}", f"UR  - {uri}",
        f"PY  - {year}", f"DA  - {year}/{month}/{day}", f"ET  - {release}", "ER  - ",
    ])
    return {"plain": plain, "bibtex": bibtex, "csl": csl, "ris": ris}
