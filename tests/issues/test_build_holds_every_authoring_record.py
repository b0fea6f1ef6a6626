"""Issue 13: at a million claims the build's main process held ~1.4 GiB of authoring records
while compiling (every entity and claim read before the first was compiled). The build now
reads the files twice (an index, then the entities streamed): while it compiles, only the
entity being compiled is in memory."""

from __future__ import annotations

import gc

from bench.generate import generate
from memorial_graph.build import build, pipeline
from memorial_graph.build import compile as compile_module
from memorial_graph.build.authoring import Entity
from memorial_graph.config import Config


def test_the_build_holds_one_entity_at_a_time_while_compiling(tmp_path, monkeypatch):
    generate(tmp_path, 2000)
    monkeypatch.setattr(compile_module._Emitter, "CHUNK", 300)   # many writes per build
    live: list[int] = []
    write = pipeline.DatasetWriter.write

    def counting(self, *args):
        live.append(sum(1 for o in gc.get_objects() if type(o) is Entity))
        return write(self, *args)

    monkeypatch.setattr(pipeline.DatasetWriter, "write", counting)
    release = build(Config.for_project(tmp_path))
    entities = sum(1 for line in release.artifact("dataset.nq").open(encoding="utf-8")
                   if "22-rdf-syntax-ns#type" in line and "/graph/collection" in line
                   and "/id/e" in line.split(" ", 1)[0] and "#" not in line.split(" ", 1)[0])
    assert entities > 200 and len(live) > 20
    assert max(live) <= 2, f"{max(live)} of {entities} entities held at once"
