"""Every string our code and templates show is translated in the zh_Hans_CN catalog."""

from __future__ import annotations

import pathlib

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

ROOT = pathlib.Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "ckanext-yiyang" / "ckanext" / "yiyang"
CATALOG = PACKAGE / "i18n" / "zh_Hans_CN" / "LC_MESSAGES" / "ckanext-yiyang.po"
METHODS = [
    ("**.py", "python"),
    ("**/templates/**.html", "ckan.lib.extract:extract_ckan"),
    ("**/templates/**.txt", "ckan.lib.extract:extract_ckan"),
]


def _msgids() -> dict[str, str]:
    found: dict[str, str] = {}
    for filename, _lineno, message, _comments, _context in extract_from_dir(str(PACKAGE), METHODS):
        # a plural is one catalog entry, under its singular
        msgid = message[0] if isinstance(message, tuple) else message
        if msgid:
            found.setdefault(msgid, filename)
    return found


def test_every_string_we_show_is_translated():
    with CATALOG.open("rb") as f:
        catalog = read_po(f)
    untranslated = {
        msgid: where
        for msgid, where in _msgids().items()
        if msgid not in catalog
        or not any(
            catalog[msgid].string
            if isinstance(catalog[msgid].string, tuple)
            else [catalog[msgid].string]
        )
    }
    assert not untranslated, "add to ckanext-yiyang.po (`make i18n`):\n" + "\n".join(
        f"{where}: {msgid!r}" for msgid, where in sorted(untranslated.items())
    )
