"""A note pasted from a word processor carried a raw control character (Word's manual line
break is a vertical tab). `memorial-graph build` stopped with a Python traceback ending in
"unacceptable character #x000b ... in "<unicode string>", position 899": no file, no line,
and not the "build refused" message of every other authoring error."""

from __future__ import annotations

from memorial_graph.cli import main

OLD_NOTE = "note: The night of 25 to 26 February 1992."


def test_a_raw_control_character_is_reported_at_its_file_and_line(project, capsys):
    events = project / "data" / "entities" / "events.yaml"
    text = events.read_text(encoding="utf-8")
    assert OLD_NOTE in text
    line = text[:text.index(OLD_NOTE)].count("\n") + 1
    events.write_text(text.replace(OLD_NOTE, "note: The night of 25\x0bto 26 February 1992."),
                      encoding="utf-8")
    assert main(["--project", str(project), "build"]) == 1
    err = capsys.readouterr().err
    assert f"data/entities/events.yaml:{line}: " in err
    assert "#x000b" in err
    assert not (project / "var" / "current").exists()
