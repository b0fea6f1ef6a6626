"""Issue 9: "a duplicate key is reported at `<unicode string>:6`; an unterminated quote at
`people.yaml:8` is reported at line 25". Every YAML error names the right file and line."""

from __future__ import annotations

import pytest

from memorial_graph.build.authoring import load_collection
from memorial_graph.errors import DataError


def _problem(tmp_path, text: str) -> str:
    data = tmp_path / "data"
    data.mkdir()
    (data / "people.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(DataError) as caught:
        load_collection(data)
    return caught.value.format_lines()[0]


def test_a_duplicate_key_names_the_file_and_the_key_s_line(tmp_path):
    line = _problem(tmp_path, "entities:\n  - id: per0001\n    type: Person\n\n\n    type: Place\n")
    assert line.startswith("data/people.yaml:6: ") and "'type' appears twice" in line


def test_an_unterminated_quote_names_the_line_where_the_quote_opens(tmp_path):
    body = ["entities:", "  - id: per0001", "    type: Person", "    claims:",
            "      - id: clm0001", "        property: skos:prefLabel", "        lang: en",
            '        name: "Ana harayı'] + [f"        # line {n}" for n in range(9, 26)]
    line = _problem(tmp_path, "\n".join(body) + "\n")
    assert line.startswith("data/people.yaml:8: "), line
