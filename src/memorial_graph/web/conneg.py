"""Content negotiation: one pure function decides the representation of every response.

Order of precedence: an explicit extension in the URL or a `format`
parameter, then the `Accept` header with q-values and wildcards, then the documented default
(the first offered type). Nothing acceptable -> NotAcceptable (406). The formats themselves
are defined in `formats.py`.
"""

from __future__ import annotations

from ..errors import NotAcceptable
from ..formats import FORMATS, Format, by_token


def parse_accept(header: str | None) -> list[tuple[str, float, int]]:
    """Accept header -> [(media range, q, position)], highest q first, then most specific."""
    if not header or not header.strip():
        return []
    out = []
    for position, part in enumerate(header.split(",")):
        fields = [f.strip() for f in part.split(";")]
        media = fields[0].lower()
        if not media or "/" not in media:
            continue
        q = 1.0
        for param in fields[1:]:
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                try:
                    q = max(0.0, min(1.0, float(value)))
                except ValueError:
                    q = 0.0
        out.append((media, q, position))
    return out


def _specificity(media_range: str) -> int:
    if media_range == "*/*":
        return 0
    if media_range.endswith("/*"):
        return 1
    return 2


def _match(media_type: str, ranges: list[tuple[str, float, int]]) -> tuple[int, float] | None:
    """(specificity, q) of the most specific range matching this type, or None."""
    best: tuple[int, float] | None = None
    major = media_type.split("/", 1)[0]
    for media, q, _pos in ranges:
        if media == media_type or media == "*/*" or media == f"{major}/*":
            spec = _specificity(media)
            if best is None or spec > best[0]:
                best = (spec, q)
    return best


def negotiate(offered: tuple[str, ...], accept: str | None = None,
              explicit: str | None = None) -> Format:
    """Choose one of `offered` (format names, the first is the default).

    `explicit` is a URL extension or `format` parameter: if it names an offered format it wins;
    if it names nothing offered, that is a 406 (the client asked for exactly that).
    """
    if explicit:
        fmt = by_token(explicit)
        if fmt is None or fmt.name not in offered:
            raise NotAcceptable(f"format '{explicit}' is not available here; available: "
                                f"{', '.join(FORMATS[o].extension for o in offered)}")
        return fmt
    ranges = parse_accept(accept)
    if not ranges:
        return FORMATS[offered[0]]
    scored = []
    for index, name in enumerate(offered):
        candidates = [FORMATS[name].media_type] + [a for a in FORMATS[name].aliases if "/" in a]
        matches = [m for m in (_match(c, ranges) for c in candidates) if m is not None]
        if not matches:
            continue
        # The most specific mention decides (Turtle at q=0 is excluded even with */*);
        # an exact mention beats a wildcard at equal q (browsers send */* with html).
        spec, q = max(matches)
        if q > 0:
            scored.append((q, spec == 2, -index, name))
    if not scored:
        raise NotAcceptable("none of the requested types can be produced; available: "
                            + ", ".join(FORMATS[o].media_type for o in offered))
    scored.sort(reverse=True)
    return FORMATS[scored[0][3]]


def negotiate_language(header: str | None, available: list[str], default: str = "en") -> str:
    """The reader's preferred language among `available` (Accept-Language), else `default`."""
    if not available:
        return default
    ranges = []
    for position, part in enumerate((header or "").split(",")):
        fields = [f.strip() for f in part.split(";")]
        tag = fields[0].lower()
        if not tag:
            continue
        q = 1.0
        for param in fields[1:]:
            key, _, value = param.partition("=")
            if key.strip() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        ranges.append((-q, position, tag))
    for _neg_q, _pos, tag in sorted(ranges):
        if -_neg_q <= 0:
            continue
        for lang in available:
            if tag == "*" or lang.lower() == tag or lang.lower() == tag.split("-")[0] \
                    or lang.lower().split("-")[0] == tag:
                return lang
    return default if default in available else available[0]
