"""The kinds of records a collection holds, read once from the ontology.

Entity classes are mg:Entity's subclasses, source classes mg:Source and its subclasses. The
build reads them from ontology/memorial.ttl (so a new class is one entry there), the web tier
from the ontology graph of the release it serves. Names are local names under mg:.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from . import namespaces as ns

ENTITY_ROOT = "Entity"
SOURCE_ROOT = "Source"


@dataclass(frozen=True)
class EntityClasses:
    parents: dict[str, frozenset[str]]     # class -> its direct mg: superclasses

    @classmethod
    def from_pairs(cls, pairs: Iterable[tuple[str, str]]) -> EntityClasses:
        """From (subclass IRI, superclass IRI) pairs; pairs outside mg: are ignored."""
        parents: dict[str, set[str]] = defaultdict(set)
        for sub, sup in pairs:
            if sub.startswith(ns.MG) and sup.startswith(ns.MG):
                parents[sub.removeprefix(ns.MG)].add(sup.removeprefix(ns.MG))
        return cls({k: frozenset(v) for k, v in parents.items()})

    @classmethod
    def from_graph(cls, graph) -> EntityClasses:
        """From an rdflib graph of the ontology (the build)."""
        from rdflib.namespace import RDFS

        return cls.from_pairs((str(s), str(o)) for s, o in graph.subject_objects(RDFS.subClassOf))

    @classmethod
    def from_store(cls, store) -> EntityClasses:
        """From the ontology graph in a store (the web tier)."""
        from .queries import load

        return cls.from_pairs((r["class"].value, r["super"].value)
                              for r in store.select(load("class-hierarchy")))

    def ancestors(self, name: str) -> set[str]:
        seen: set[str] = set()
        todo = [name]
        while todo:
            for parent in self.parents.get(todo.pop(), ()):
                if parent not in seen:
                    seen.add(parent)
                    todo.append(parent)
        return seen

    def under(self, root: str) -> set[str]:
        """`root` and every class below it."""
        return {root} | {c for c in self.parents if root in self.ancestors(c)}

    @property
    def entities(self) -> set[str]:
        return self.under(ENTITY_ROOT) - {ENTITY_ROOT}

    @property
    def sources(self) -> set[str]:
        return self.under(SOURCE_ROOT)

    def is_a(self, name: str, root: str) -> bool:
        return name == root or root in self.ancestors(name)
