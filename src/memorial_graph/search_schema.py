"""The search index's contract: how text is folded, the SQLite FTS5 table that holds it, and
how it is written. The build writes one index per release (`build/search_index.py`); the web
tier only reads it (`web/search.py`). Both fold text with `fold`, so a reader types `harayi`,
`HARAYI` or `harayı` and finds "Ana harayı".

Folding, in order:

1. Unicode NFKD (compatibility decomposition: "ş" becomes "s" + a combining cedilla, the
   ligature "ﬁ" becomes "fi");
2. every combining mark is dropped (accents, cedillas, breves, the dot of "İ");
3. case is folded (`str.casefold`: "ß" becomes "ss");
4. the letters that are not a base letter with a mark are mapped explicitly: Azerbaijani
   "ı" and "ə" to "i" and "e", and the Azerbaijani Cyrillic letters to the Russian letters
   they are written as without the descender or the bar ("ә" to "е", "ғ" to "г", "ҝ" to
   "к", "ҹ" to "ч", "һ" to "х", "ө" to "о", "ү" to "у", "ј" to "й", which step 2 then
   folds to "и"); also "ø", "đ", "ł", "æ", "œ" to "o", "d", "l", "ae", "oe".

So "Ana harayı abidəsi" is indexed as "ana harayi abidesi", "Ёлчин" as "елчин" and "Ходжалы"
matches "ХОДЖАЛЫ". Cyrillic is not transliterated to Latin: "Xocalı" and "Ходжалы" are two
spellings, found by their own letters.
"""

from __future__ import annotations

import json
import re
import sqlite3
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

FOLDING_VERSION = 2   # stored in the index; a reader refuses an index folded another way

_LETTERS = str.maketrans({
    "ı": "i", "ə": "e", "ø": "o", "đ": "d", "ł": "l", "æ": "ae", "œ": "oe",
    "ә": "е", "ғ": "г", "ҝ": "к", "ҹ": "ч", "һ": "х", "ө": "о", "ү": "у", "ј": "й",
})
_WORD = re.compile(r"\w+")


def fold(text: str) -> str:
    """The text as the index holds it (see the module's docstring)."""
    decomposed = unicodedata.normalize("NFKD", text.casefold().translate(_LETTERS))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    # A second pass: casefolding or decomposition may reveal a letter of the table ("Ə" -> "ə").
    return unicodedata.normalize("NFC", stripped.casefold().translate(_LETTERS))


def words(text: str) -> list[str]:
    """The folded words of a text, in order."""
    return _WORD.findall(fold(text))


def match_expression(query: str, classes: list[str] | None = None) -> str | None:
    """An FTS5 MATCH expression for what a reader typed: every word must match the start of
    a word of a name, an identifier or a text (so `abide` finds "abidəsi"); a record whose
    whole name is what was typed matches the `whole` column too, which ranks it first. With
    `classes`, only records of those classes. None when the query has no word. Each word is
    quoted, so nothing the reader types is read as FTS5 syntax."""
    terms = words(query)
    if not terms:
        return None
    typed = " ".join(f'"{t}"*' for t in terms)
    whole = "_".join(terms)
    expression = f'({{{" ".join(TEXT_COLUMNS)}}} : ({typed})) OR (whole : "{whole}")'
    if classes is not None:
        kinds = " OR ".join(f'"{fold(c)}"' for c in classes)
        expression = f"({expression}) AND (cls : ({kinds}))"
    return expression


# ---- the table
TABLE = "entry"
TEXT_COLUMNS = ("names", "ident", "texts")     # what the words typed are looked for in
# Indexed columns and their bm25 weights: a hit in a name counts most, then an identifier,
# then a text. `whole` holds each whole name as one token ("ana_harayi"), so a name typed in
# full outranks everything; `cls` the record's class, so filtering and counting by kind never
# read a stored row. Ranking and counting cost a walk of the index, not of the records.
COLUMNS: dict[str, float] = {"names": 10.0, "ident": 5.0, "texts": 1.0, "whole": 1000.0,
                             "cls": 0.0}
STORED = ("iri", "class", "shown")   # not indexed: the record, its class, its texts as written
SCHEMA = (
    f"CREATE VIRTUAL TABLE {TABLE} USING fts5("
    + ", ".join(COLUMNS) + ", " + ", ".join(f"{c} UNINDEXED" for c in STORED)
    # '_' joins the words of a whole name into one token (words() keeps it in a word too).
    + ", tokenize = \"unicode61 remove_diacritics 0 tokenchars '_'\", prefix = '1 2 3')"
)
BM25 = f"bm25({TABLE}, {', '.join(str(w) for w in COLUMNS.values())})"


@dataclass
class Entry:
    """One record as the index holds it: what it is, and its texts as written."""

    iri: str
    cls: str                                    # the class's local name under mg:
    ident: str
    names: list[tuple[str, str | None]] = field(default_factory=list)    # (text, language)
    texts: list[tuple[str, str | None]] = field(default_factory=list)

    def row(self) -> tuple[str, ...]:
        names = list(dict.fromkeys(self.names))
        texts = list(dict.fromkeys(self.texts))
        shown = [["name", t, lang] for t, lang in names] + [["text", t, lang] for t, lang in texts]
        return (" \n".join(fold(t) for t, _ in names), fold(self.ident),
                " \n".join(fold(t) for t, _ in texts),
                " ".join("_".join(words(t)) for t, _ in names), fold(self.cls),
                self.iri, self.cls, json.dumps(shown, ensure_ascii=False))


class IndexWriter:
    """A new index at `path`, written entry by entry (in batches); `close` finishes it."""

    def __init__(self, path: Path, batch: int = 5_000):
        path.unlink(missing_ok=True)
        self.con = sqlite3.connect(path)
        self.batch = batch
        self.count = 0
        self.rows: list[tuple[str, ...]] = []
        try:
            # A fresh file nobody reads until the release is complete: no journal, no syncs.
            self.con.execute("PRAGMA journal_mode = OFF")
            self.con.execute("PRAGMA synchronous = OFF")
            self.con.execute(SCHEMA)
            self.con.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT)")
        except BaseException:
            self.con.close()
            raise
        self.insert = (f"INSERT INTO {TABLE} ({', '.join((*COLUMNS, *STORED))}) "
                       f"VALUES ({', '.join('?' * (len(COLUMNS) + len(STORED)))})")

    def add(self, entry: Entry) -> None:
        self.rows.append(entry.row())
        if len(self.rows) >= self.batch:
            self._write()

    def _write(self) -> None:
        self.con.executemany(self.insert, self.rows)
        self.count += len(self.rows)
        self.rows.clear()

    def close(self) -> int:
        """Write what is left, optimise the full-text index; return how many entries it holds."""
        try:
            self._write()
            self.con.execute(f"INSERT INTO {TABLE}({TABLE}) VALUES ('optimize')")
            self.con.executemany("INSERT INTO meta VALUES (?, ?)",
                                 [("folding", str(FOLDING_VERSION)), ("entries", str(self.count))])
            self.con.commit()
        finally:
            self.con.close()
        return self.count


def write_index(path: Path, entries: Iterable[Entry], batch: int = 5_000) -> int:
    """Write a new index at `path` from a stream of entries; return how many it holds."""
    writer = IndexWriter(path, batch)
    try:
        for entry in entries:
            writer.add(entry)
    except BaseException:
        writer.con.close()
        raise
    return writer.close()


def open_index(path: Path) -> sqlite3.Connection:
    """The index read-only (a release never changes, so no locking is needed)."""
    con = sqlite3.connect(f"file:{path}?mode=ro&immutable=1", uri=True, check_same_thread=False)
    version = con.execute("SELECT value FROM meta WHERE key = 'folding'").fetchone()
    if version is None or int(version[0]) != FOLDING_VERSION:
        con.close()
        raise ValueError(f"{path} was folded by another version of the software; rebuild")
    return con
