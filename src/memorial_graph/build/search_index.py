"""The release's search index (`search.sqlite`), written from the authoring records as the
compiler reads them (no pass of its own, nothing held): one entry per entity and per source,
with its names (every name claim, in every language, and a source's titles) and its texts
(text claims, roles, the editors' notes, a source's description and publisher). The table
and the folding are `search_schema.py`'s."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from ..search_schema import Entry, IndexWriter, write_index
from ..uris import Uris
from .authoring import Collection, Entity, Source


def _text(value) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def entity_entry(entity: Entity, uris: Uris) -> Entry:
    entry = Entry(uris.entity(entity.id), entity.type, entity.id)
    if note := _text(entity.note):
        entry.texts.append((note, "en"))
    for claim in entity.claims:
        if claim.kind == "name" and (name := _text(claim.value)):
            entry.names.append((name, claim.lang))
        elif claim.kind == "text" and (text := _text(claim.value)):
            entry.texts.append((text, claim.lang))
        for extra in (claim.role, claim.note):
            if text := _text(extra):
                entry.texts.append((text, "en"))
    return entry


def source_entry(source: Source, uris: Uris) -> Entry:
    entry = Entry(uris.entity(source.id), source.type, source.id)
    fields = source.fields
    for key, lang in (("title", fields.get("language")), ("short_title", "en")):
        if text := _text(fields.get(key)):
            entry.names.append((text, lang))
    for key, lang in (("description", "en"), ("publisher", None)):
        if text := _text(fields.get(key)):
            entry.texts.append((text, lang))
    return entry


def entries(collection: Collection, uris: Uris) -> Iterator[Entry]:
    for source in collection.sources:
        yield source_entry(source, uris)
    for entity in collection.entities:
        yield entity_entry(entity, uris)


def write_search_index(path: Path, collection: Collection, uris: Uris) -> int:
    """Write the index for a collection; return the number of entries."""
    return write_index(path, entries(collection, uris))


class SearchIndexWriter:
    """The index written beside the compiler: `indexing(collection)` writes the sources and
    returns the collection with its entities indexed as they are read (once, streamed)."""

    def __init__(self, path: Path, uris: Uris):
        self.writer = IndexWriter(path)
        self.uris = uris

    def indexing(self, collection: Collection) -> Collection:
        for source in collection.sources:
            self.writer.add(source_entry(source, self.uris))
        return _Indexed(collection, self)

    def close(self) -> int:
        return self.writer.close()


class _Indexed:
    """A collection whose entities pass through the index on their way to the compiler."""

    def __init__(self, collection: Collection, search: SearchIndexWriter):
        self._collection = collection
        self._search = search

    def __getattr__(self, name: str):
        return getattr(self._collection, name)

    @property
    def entities(self) -> Iterator[Entity]:
        for entity in self._collection.entities:
            self._search.writer.add(entity_entry(entity, self._search.uris))
            yield entity
