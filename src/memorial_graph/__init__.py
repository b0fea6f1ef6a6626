"""memorial-graph: a knowledge graph and linked-data publisher for memorials."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("memorial-graph")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0"
