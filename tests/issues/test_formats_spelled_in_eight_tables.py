"""Issue 8: "eight tables of formats/media types (conneg.FORMATS, render.RDF_FORMATS,
sparql.RESULT_FORMATS, cli.RESULT_FORMATS, cli.EXPORT_FORMATS, release.DUMP_FORMATS,
harvest.DUMPS, servicedesc) ... Adding one RDF format touches 6-9 files."

Exactly one module under src/ spells out RDF media types: formats.py."""

from __future__ import annotations

from tests.conftest import ROOT

RDF_MEDIA_TYPES = ("text/turtle", "application/ld+json", "application/rdf+xml",
                   "application/n-triples", "application/trig", "application/n-quads",
                   "application/sparql-results")


def test_only_the_format_registry_names_rdf_media_types():
    src = ROOT / "src" / "memorial_graph"
    spelled = sorted(str(path.relative_to(src)) for path in src.rglob("*")
                     if path.is_file() and path.suffix in (".py", ".html", ".rq")
                     and any(t in path.read_text(encoding="utf-8") for t in RDF_MEDIA_TYPES))
    assert spelled == ["formats.py"]
