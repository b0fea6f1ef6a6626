"""HTTP `Link` header values (RFC 8288): one link written, links added to a response's one
`Link` field (a client reading only the first field still sees them all)."""

from __future__ import annotations

from flask import Response


def link(target: str, rel: str, **params: str) -> str:
    text = f'<{target}>; rel="{rel}"'
    for key, value in params.items():
        text += f'; {key.rstrip("_")}="{value}"'
    return text


def add(response: Response, links: list[str]) -> None:
    if not links:
        return
    existing = response.headers.get("Link")
    response.headers["Link"] = ", ".join(([existing] if existing else []) + links)
