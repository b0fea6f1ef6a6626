"""A claim's note written with an escaped control character (`"...25\\vto 26..."` in YAML, or
`\\u000b` in JSON Lines) passed the authoring checks and SHACL, then stopped the build with
"HermiT could not check the collection: ... MalformedLiteralException": no file, no line, no
hint that the note was at fault. A lone surrogate (`\\ud800` in JSON Lines) crashed it with a
UnicodeEncodeError."""

from __future__ import annotations

import json

from memorial_graph.cli import main

OLD_NOTE = "note: The night of 25 to 26 February 1992."


def test_an_escaped_control_character_is_reported_at_its_claim(project, capsys):
    events = project / "data" / "entities" / "events.yaml"
    text = events.read_text(encoding="utf-8")
    assert OLD_NOTE in text
    line = text[:text.index(OLD_NOTE)].rstrip().rsplit("\n", 3)[0].count("\n") + 2
    assert text.splitlines()[line - 1].strip() == "- id: t8ye7ap"
    events.write_text(text.replace(OLD_NOTE, 'note: "The night of 25\\vto 26 February 1992."'),
                      encoding="utf-8")
    assert main(["--project", str(project), "build"]) == 1
    err = capsys.readouterr().err
    assert f"data/entities/events.yaml:{line}: " in err
    assert "could not check" not in err and "U+000B" in err
    assert not (project / "var" / "current").exists()


def test_a_lone_surrogate_in_json_lines_is_reported_at_its_line(project, capsys):
    record = {"entities": [{"id": "k2m4x7q", "type": "Place", "claims": [
        {"id": "k2m4x7r", "property": "skos:prefLabel", "name": "Khojaly\ud800", "lang": "en",
         "sources": [{"source": "ra5wd27", "paragraph": 1}]}]}]}
    (project / "data" / "more.jsonl").write_text("\n" + json.dumps(record) + "\n",
                                                 encoding="utf-8")
    assert main(["--project", str(project), "build"]) == 1
    err = capsys.readouterr().err
    assert "data/more.jsonl:2: " in err
    assert not (project / "var" / "current").exists()
