"""The search key of a name: what finding an entity by name compares, so that `harayi`,
`HARAYI` and `Harayı` all find "Ana harayı abidəsi".

A key is the name in lower case, each letter of `FOLDS` replaced by its base letter
(Azerbaijani ı, ə, ş, ç, ğ, ö, ü; the other accented letters of Latin-1 and Latin Extended-A;
Cyrillic ё, й, ї, ў, ...), then without combining marks. The build writes it on every name
(`mg:searchKey`); queries/label-search.rq folds the searched text with the same steps in
SPARQL (LCASE, one REPLACE per base letter, then dropping `\\p{M}`), which tests prove equal to
this function on every character of the Basic Multilingual Plane.
"""

from __future__ import annotations

import unicodedata

# base letter -> the lower-case letters folded to it: the letters of U+00C0-U+017F,
# U+0218-U+021B and U+0400-U+04FF whose canonical decomposition is that base and combining
# marks, and the letters without a decomposition that read as a base letter (ı, ə, ø, ł,
# đ, ħ, ŧ).
FOLDS: dict[str, str] = {
    "a": "àáâãäåāăą",
    "c": "çćĉċč",
    "d": "ďđ",
    "e": "èéêëēĕėęěə",
    "g": "ĝğġģ",
    "h": "ĥħ",
    "i": "ìíîïĩīĭįı",
    "j": "ĵ",
    "k": "ķ",
    "l": "ĺļľł",
    "n": "ñńņň",
    "o": "òóôõöøōŏő",
    "r": "ŕŗř",
    "s": "śŝşšș",
    "t": "ţťŧț",
    "u": "ùúûüũūŭůűų",
    "w": "ŵ",
    "y": "ýÿŷ",
    "z": "źżž",
    "а": "ӑӓ",
    "г": "ѓ",
    "е": "ѐёӗ",
    "ж": "ӂӝ",
    "з": "ӟ",
    "и": "йѝӣӥ",
    "к": "ќ",
    "о": "ӧ",
    "у": "ўӯӱӳ",
    "ч": "ӵ",
    "ы": "ӹ",
    "э": "ӭ",
    "і": "ї",
    "ѵ": "ѷ",
    "ә": "ӛ",
    "ө": "ӫ",
}
_TRANSLATE = str.maketrans({variant: base for base, variants in FOLDS.items()
                            for variant in variants})


def search_key(text: str) -> str:
    """`text` as label search compares it (see the module's docstring)."""
    folded = text.lower().translate(_TRANSLATE)
    return "".join(ch for ch in folded if not unicodedata.category(ch).startswith("M"))
