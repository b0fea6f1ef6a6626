"""The interface's message catalogs at development time (`make messages`, after `pybabel
update`): the English catalog says every string as its msgid, since the templates are written
in English. (An English catalog with empty translations would make plural forms blank: gettext
returns an empty msgstr[n] as it is.) The server never runs this; it reads the compiled .mo."""

from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

from .i18n import DEFAULT, TRANSLATIONS


def source_catalog(path: Path) -> None:
    with path.open("rb") as f:
        catalog = read_po(f)
    for message in catalog:
        if message.id:
            message.string = message.id
            message.flags.discard("fuzzy")
    new = path.with_suffix(".po.new")
    with new.open("wb") as f:
        write_po(f, catalog, width=0, include_previous=False)
    new.replace(path)


def main() -> int:
    source_catalog(TRANSLATIONS / DEFAULT / "LC_MESSAGES" / "messages.po")
    return 0


if __name__ == "__main__":
    sys.exit(main())
