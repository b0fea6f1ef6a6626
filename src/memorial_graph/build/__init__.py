"""The build wing: authoring files -> RDF -> gates (SHACL, OWL) -> a release (and publishing
a release to a remote store). Nothing in the web tier imports from here; they meet only at
the release (`release.py`)."""

from .pipeline import build, check, check_owl

__all__ = ["build", "check", "check_owl"]
