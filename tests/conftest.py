"""Shared fixtures: the collection is built once per session into a temporary project."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from memorial_graph.build import build
from memorial_graph.config import Config
from memorial_graph.release import Release
from memorial_graph.store import EmbeddedStore

ROOT = Path(__file__).resolve().parent.parent
MONUMENT = "pfft2yk"      # "Ana harayı" / Mother's Cry
MASSACRE = "rn983p4"      # the events at Khojaly, February 1992
SOURCE_GUIDE = "ra5wd27"  # the travel-guide page
SOURCE_NEWS = "y53qgkk"   # the Caliber.Az report
RETIRED = "r49adst"


def copy_project(dest: Path) -> Path:
    """A throwaway copy of the project's inputs (data, ontology, queries)."""
    for name in ("data", "ontology", "queries"):
        shutil.copytree(ROOT / name, dest / name)
    return dest


@pytest.fixture(scope="session")
def built(tmp_path_factory) -> tuple[Config, Release]:
    project = copy_project(tmp_path_factory.mktemp("project"))
    config = Config.for_project(project)
    return config, build(config)


@pytest.fixture(scope="session")
def config(built) -> Config:
    return built[0]


@pytest.fixture(scope="session")
def release(built) -> Release:
    return built[1]


@pytest.fixture(scope="session")
def store(release) -> EmbeddedStore:
    return EmbeddedStore.open_release(release)


@pytest.fixture()
def project(tmp_path) -> Path:
    return copy_project(tmp_path / "project")


def iri(ident: str) -> str:
    return f"https://w3id.org/memorial-graph/id/{ident}"
