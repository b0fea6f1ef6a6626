"""How much of a release `serve` holds in memory for its queries: up to 2M quads, fewer on a
machine where they would take more than a quarter of the memory available."""

from __future__ import annotations

import dataclasses

from memorial_graph.config import BYTES_PER_QUAD, IN_MEMORY_UP_TO, default_in_memory_up_to


def _meminfo(tmp_path, available_kib: int | None):
    lines = ["MemTotal:       24000000 kB", "MemFree:         1000000 kB"]
    if available_kib is not None:
        lines.append(f"MemAvailable:   {available_kib:>9} kB")
    path = tmp_path / "meminfo"
    path.write_text("\n".join(lines + ["Buffers:          100000 kB"]) + "\n")
    return str(path)


def test_a_machine_with_little_memory_reads_the_release_from_disk(tmp_path, config, release):
    limit = default_in_memory_up_to(_meminfo(tmp_path, 4000))     # 4 MB available
    assert limit == 4000 * 1024 // 4 // BYTES_PER_QUAD
    assert 0 < limit < release.quads
    served = dataclasses.replace(config, in_memory_up_to=limit)
    assert not served.keeps_in_memory(release, for_queries=True)


def test_a_machine_with_ample_memory_holds_up_to_two_million_quads(tmp_path, config, release):
    limit = default_in_memory_up_to(_meminfo(tmp_path, 64 << 20))  # 64 GiB available
    assert limit == IN_MEMORY_UP_TO
    served = dataclasses.replace(config, in_memory_up_to=limit)
    assert served.keeps_in_memory(release, for_queries=True)
    # The web workers read the store either way, unless told --in-memory.
    assert not served.keeps_in_memory(release)


def test_the_limit_follows_the_memory_available(tmp_path):
    limits = [default_in_memory_up_to(_meminfo(tmp_path, kib))
              for kib in (1 << 20, 2 << 20, 4 << 20)]                # 1, 2, 4 GiB
    assert limits == sorted(limits) and len(set(limits)) == 3
    assert limits[1] == (2 << 30) // 4 // BYTES_PER_QUAD


def test_without_a_reading_of_available_memory_the_limit_is_two_million(tmp_path):
    assert default_in_memory_up_to(str(tmp_path / "absent")) == IN_MEMORY_UP_TO
    assert default_in_memory_up_to(_meminfo(tmp_path, None)) == IN_MEMORY_UP_TO
