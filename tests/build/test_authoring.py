"""Reading authoring files: records that remember file:line, and every problem at once."""

from __future__ import annotations

from pathlib import Path

import pytest

from memorial_graph.build.authoring import load_collection
from memorial_graph.errors import DataError


def _project(tmp_path: Path, text: str, name: str = "people.yaml") -> Path:
    data = tmp_path / "data"
    data.mkdir()
    (data / name).write_text(text, encoding="utf-8")
    return data


def test_records_remember_where_they_were_written(tmp_path):
    data = _project(tmp_path, """\
sources:
  - id: src0001
    type: Article
    title: A report
entities:
  - id: per0001
    type: Person
    claims:
      - id: clm0001
        property: skos:prefLabel
        name: Tamilla Hasanova
        lang: az
        sources:
          - {source: src0001, paragraph: 2}
""")
    collection = load_collection(data)
    person = collection.entities[0]
    claim = person.claims[0]
    assert (person.loc.file, person.loc.line) == ("data/people.yaml", 6)
    assert (claim.loc.line, claim.kind, claim.value, claim.lang) == (9, "name", "Tamilla Hasanova", "az")
    assert claim.evidence[0].source == "src0001" and claim.evidence[0].loc.line == 14
    assert collection.sources[0].fields["title"] == "A report"


def test_every_problem_is_reported_with_its_line(tmp_path):
    data = _project(tmp_path, """\
entities:
  - id: per0001
    type: Person
    colour: red
    claims:
      - id: clm0001
        property: skos:prefLabel
        name: No language
      - id: clm0002
        property: schema:height
        count: 3
        quantity: 4
""")
    with pytest.raises(DataError) as caught:
        load_collection(data)
    lines = caught.value.format_lines()
    assert any(line.startswith("data/people.yaml:2: unknown field(s) colour") for line in lines)
    assert any(line.startswith("data/people.yaml:6:") and "needs 'lang'" in line for line in lines)
    assert any(line.startswith("data/people.yaml:9:") and "exactly one value field" in line
               for line in lines)


def test_a_duplicate_key_is_refused(tmp_path):
    data = _project(tmp_path, "entities:\n  - id: per0001\n    type: Person\n    type: Place\n")
    with pytest.raises(DataError, match="appears twice"):
        load_collection(data)


def test_a_source_title_must_be_text(tmp_path):
    data = _project(tmp_path, "sources:\n  - id: src0001\n    type: Article\n"
                              "    title: {paragraph: 0}\n", "sources.yaml")
    with pytest.raises(DataError, match="'title' must be the source's title as text"):
        load_collection(data)


def test_dates_stay_strings_at_the_precision_written(tmp_path):
    data = _project(tmp_path, """\
entities:
  - id: evt0001
    type: Event
    claims:
      - {id: clm0001, property: crm:P4_has_time-span, when: 1992-02, sources: []}
""")
    claim = load_collection(data).entities[0].claims[0]
    assert claim.value.edtf == "1992-02"
