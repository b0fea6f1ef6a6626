"""Issue 9: "a 1.9 KB YAML alias bomb in `name:` ran 46 s into MemoryError with no file:line".

Aliases that would expand a file far beyond its written size are refused, with the file and
the line of the alias, before anything is expanded."""

from __future__ import annotations

import pytest

from memorial_graph.build.authoring import load_collection
from memorial_graph.errors import DataError

LEVELS = ["a", "b", "c", "d", "e", "f", "g", "h", "i"]


def _bomb() -> str:
    lines = ['x: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for prev, cur in zip(LEVELS, LEVELS[1:], strict=False):
        lines.append(f"{cur}x: &{cur} [{', '.join(['*' + prev] * 9)}]")
    return "\n".join(lines)


def test_an_alias_bomb_is_refused_with_file_and_line(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    text = "\n".join(["entities:", "  - id: per0001", "    type: Person", "    claims:",
                      "      - id: clm0001", "        property: skos:prefLabel", "        lang: en",
                      "        sources: []", "        name:", "          " + _bomb().replace(
                          "\n", "\n          ")])
    (data / "people.yaml").write_text(text, encoding="utf-8")
    assert len(text) < 2500
    with pytest.raises(DataError) as caught:
        load_collection(data)
    message = caught.value.format_lines()[0]
    assert message.startswith("data/people.yaml:") and "alias" in message


def test_a_few_aliases_are_still_fine(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    (data / "sources.yaml").write_text("""\
sources:
  - &guide {id: src0001, type: WebPage, title: A guide, language: en}
  - {<<: *guide, id: src0002, title: Another guide}
""", encoding="utf-8")
    assert [s.id for s in load_collection(data).sources] == ["src0001", "src0002"]
