"""Benchmark harness and synthetic-archive generator (see bench/README.md)."""
