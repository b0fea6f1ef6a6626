"""SPARQL the application itself runs (entity documents, indexes, statistics)."""

from functools import cache
from importlib.resources import files


@cache
def load(name: str) -> str:
    return files(__name__).joinpath(f"{name}.rq").read_text(encoding="utf-8")
