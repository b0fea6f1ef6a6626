"""The interface's language (Flask-Babel): which one a request gets, the switcher that chooses
it, and the headers that keep caches from mixing languages.

A request's interface language is, in order: an explicit choice (`?lang=` on any page, which
also sets the `lang` cookie, or that cookie), then `Accept-Language` (negotiated by
`conneg.negotiate_language`), then English. Only HTML pages change with it: RDF, SPARQL
results and JSON are the same for everyone. The catalogs are
`translations/<language>/LC_MESSAGES/messages.po` beside this module (`make messages`
extracts and updates them; docs/architecture.md says how to add a language).
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from pathlib import Path
from urllib.parse import urlencode

from babel.dates import format_date, format_datetime, format_skeleton
from babel.numbers import format_decimal
from flask import Flask, Response, g, request
from flask_babel import Babel, gettext

from .conneg import negotiate_language

DEFAULT = "en"
# Every interface language, in the switcher's order, with its name in itself (its autonym).
LANGUAGES: dict[str, str] = {"en": "English", "az": "Azərbaycanca"}
# The CLDR locale each formats dates and numbers with ("25 February 1992", not the US order).
FORMATS_LOCALE: dict[str, str] = {"en": "en_GB", "az": "az"}
COOKIE = "lang"                      # the switcher's choice, remembered
PARAM = "lang"                       # `?lang=az` on any page chooses (and sets the cookie)
COOKIE_MAX_AGE = 400 * 24 * 3600     # the longest a browser keeps a cookie (RFC 6265bis)
TRANSLATIONS = Path(__file__).parent / "translations"


def _known(value: str | None) -> str | None:
    value = (value or "").strip().lower()
    return value if value in LANGUAGES else None


def explicit_choice() -> str | None:
    """The language the reader chose: `?lang=` (if it names an interface language), else the
    cookie; None when neither names one (an unknown value is ignored)."""
    return _known(request.args.get(PARAM)) or _known(request.cookies.get(COOKIE))


def interface_language() -> str:
    """This request's interface language (computed once per request)."""
    if "ui_language" not in g:
        g.ui_language = explicit_choice() or negotiate_language(
            request.headers.get("Accept-Language"), list(LANGUAGES), default=DEFAULT)
    return g.ui_language


def _formats_locale() -> str:
    return FORMATS_LOCALE[interface_language()]


def names_preference() -> str:
    """An Accept-Language value for choosing names: the reader's explicit choice first, then
    what the browser asks for (names fall back further: az → en → any, `Snapshot.label_in`)."""
    header = request.headers.get("Accept-Language") or ""
    chosen = explicit_choice()
    return f"{chosen}, {header}" if chosen else header


def language_link(code: str) -> str:
    """The current page in another interface language: its parameters with `lang`, as a
    reference relative to the page (no path), so that a page kept once and served under
    two paths (`/doc/{id}` and its memento under `/releases/{id}/`) links each to itself."""
    params = [(k, v) for k, v in request.args.items(multi=True) if k != PARAM] + [(PARAM, code)]
    return "?" + urlencode(params)


def number(value) -> str:
    """A count as the interface language writes it (1,234 in English, 1.234 in Azerbaijani)."""
    return format_decimal(value, locale=_formats_locale())


def day(value: date | datetime | str | None, form: str = "long") -> str:
    """A date in the interface language ("25 February 1992", "25 fevral 1992"); an ISO string
    (a date or a timestamp) is read first. Anything else is returned as it is."""
    if not value:
        return ""
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value[:10])
        except ValueError:
            return value
    if isinstance(value, datetime):
        value = value.date()
    return format_date(value, format=form, locale=_formats_locale())


def moment(value: str | datetime | None) -> str:
    """A timestamp (ISO 8601, as a release's manifest has it) in the interface language, in
    UTC ("25 Feb 2026, 14:03:09"); anything unreadable as it is."""
    if not value:
        return ""
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            return value
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return format_datetime(value, format="medium", tzinfo=UTC, locale=_formats_locale())


def _edtf_part(part: str) -> str:
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", part):
        return day(part)
    if re.fullmatch(r"\d{4}-\d{2}", part):
        return format_skeleton("yMMMM", date.fromisoformat(part + "-01"), locale=_formats_locale())
    return part                       # a year, or what Babel cannot say better ("199X", "..")


def edtf(value: str) -> str:
    """An EDTF date or interval as the interface language writes it, never more precise than
    the source: "1992-02-25/1992-02-26" is "25 February 1992 to 26 February 1992"."""
    if "/" in value:
        start, _, end = value.partition("/")
        return gettext("%(start)s to %(end)s", start=_edtf_part(start), end=_edtf_part(end))
    return _edtf_part(value)


def init_app(app: Flask) -> None:
    Babel(app, locale_selector=interface_language,
          default_translation_directories=str(TRANSLATIONS))
    app.jinja_env.filters["number"] = number
    app.jinja_env.filters["day"] = day
    app.jinja_env.filters["edtf"] = edtf
    app.jinja_env.filters["moment"] = moment
    app.jinja_env.globals.update(languages=LANGUAGES, language_link=language_link)

    @app.after_request
    def _interface_language(response: Response) -> Response:
        if response.mimetype != "text/html":
            return response           # machine-readable answers are the same for everyone
        lang = interface_language()
        response.headers.setdefault("Content-Language", lang)
        # The page's words depend on the choice (a cookie) and the browser's languages:
        # caches must keep one copy per combination (tests/test_cache.py).
        response.vary.add("Accept-Language")
        response.vary.add("Cookie")
        asked = _known(request.args.get(PARAM))
        if asked is not None and request.cookies.get(COOKIE) != asked:
            response.set_cookie(COOKIE, asked, max_age=COOKIE_MAX_AGE, path="/", samesite="Lax",
                                secure=request.is_secure, httponly=True)
            response.headers["Cache-Control"] = "private"    # the cookie is this reader's
        return response
