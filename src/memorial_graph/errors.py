"""Typed errors. Library code raises these; the CLI and the web tier decide how to show them."""

from __future__ import annotations

from dataclasses import dataclass


class MemorialGraphError(Exception):
    """Base class. `status` is the HTTP status the web tier answers with."""

    status = 500

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True, slots=True)
class Location:
    """Where in the authoring files a record starts."""

    file: str
    line: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}"


class DataError(MemorialGraphError):
    """The authoring files are malformed or break a rule; each problem names file:line."""

    status = 422

    def __init__(self, problems: list[tuple[Location | None, str]]):
        self.problems = problems
        super().__init__("\n".join(self.format_lines()))

    def format_lines(self) -> list[str]:
        return [f"{loc}: {msg}" if loc else msg for loc, msg in self.problems]


class ValidationFailed(DataError):
    """The compiled graph does not conform to the SHACL shapes."""


class InconsistentOntology(MemorialGraphError):
    """HermiT found the ontology plus the collection inconsistent."""

    status = 422


class NotBuilt(MemorialGraphError):
    """There is no release to serve or query yet."""

    status = 503


class BadRequest(MemorialGraphError):
    status = 400


class MalformedQuery(BadRequest):
    """The SPARQL text does not parse; the message is the parser's, with its position."""

    def __init__(self, detail: str):
        super().__init__(f"malformed query: {detail}")
        self.detail = detail


class EvaluationFailed(MemorialGraphError):
    """A well-formed query failed while it was evaluated (an unsupported function, say).

    500, as the SPARQL 1.1 Protocol (section 2.1.5) gives for a service that fails to execute
    a query, and as Oxigraph's own server answers (400 only for a parse error): 400 would tell
    the client that its query is malformed, which it is not.
    """

    status = 500

    def __init__(self, detail: str):
        super().__init__(f"the query is well-formed but could not be evaluated: {detail}")
        self.detail = detail


class Forbidden(MemorialGraphError):
    status = 403


class NotFound(MemorialGraphError):
    status = 404


class NotAcceptable(MemorialGraphError):
    status = 406


class Gone(MemorialGraphError):
    status = 410

    def __init__(self, message: str, successor: str | None = None):
        super().__init__(message)
        self.successor = successor


class PayloadTooLarge(MemorialGraphError):
    status = 413


class UnsupportedMediaType(MemorialGraphError):
    status = 415


class QueryFailed(MemorialGraphError):
    """A query was refused or failed (its status, message and headers such as Retry-After
    travel with it)."""

    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None):
        super().__init__(message)
        self.status = status
        self.headers = headers or {}


class RequestTimeout(MemorialGraphError):
    """The client did not send its request body within the read timeout."""

    status = 408


class StoreError(MemorialGraphError):
    status = 502
