"""The folding both the build and the web tier apply to text for search."""

from __future__ import annotations

import pytest

from memorial_graph.search_schema import fold, match_expression, words


@pytest.mark.parametrize(("written", "typed"), [
    ("Ana harayı abidəsi", "ana harayi abidesi"),
    ("HARAYI", "harayi"),
    ("İlqar Şükürov", "ilqar sukurov"),
    ("Çinarlı Göygöl Ağdam Ülviyyə Ə", "cinarli goygol agdam ulviyye e"),
    ("ХОДЖАЛЫ Ёлчин", "ходжалы елчин"),
    ("Әлиев Һәсән Ғасым Үлвијјә Өмәр Ҹавид Ҝүл", "елиев хесен гасым улвииие омер чавид кул"),
    ("Straße", "strasse"),
])
def test_case_and_diacritics_are_folded_away(written, typed):
    assert fold(written) == typed


def test_a_query_matches_word_starts_and_cannot_inject_fts_syntax():
    assert match_expression("Abidə") == '({names ident texts} : ("abide"*)) OR (whole : "abide")'
    assert match_expression('harayı" OR x NEAR(') == \
        '({names ident texts} : ("harayi"* "or"* "x"* "near"*)) OR (whole : "harayi_or_x_near")'
    assert match_expression("ana", ["Monument"]).endswith('AND (cls : ("monument"))')
    assert match_expression(" ,;: ") is None
    assert words("Ana-harayı") == ["ana", "harayi"]
