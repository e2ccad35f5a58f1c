"""Merge PO fragments into our catalog; a fragment's translation wins.

    .venv/bin/python config/bin/po_merge.py CATALOG.po FRAGMENT.po.part [...]

A fragment is plain PO entries without a header (how translations are handed over).
"""

from __future__ import annotations

import io
import pathlib
import sys

from babel.messages.pofile import read_po, write_po


def merge(catalog_path: str, parts: list[str]) -> None:
    with open(catalog_path, "rb") as f:
        catalog = read_po(f, locale="zh_Hans_CN")
    header = pathlib.Path(catalog_path).read_text(encoding="utf-8").split("\n\n")[0]
    for part in parts:
        text = header + "\n\n" + pathlib.Path(part).read_text(encoding="utf-8")
        fragment = read_po(io.BytesIO(text.encode("utf-8")), locale="zh_Hans_CN")
        merged = 0
        for message in fragment:
            if message.id:
                # Catalog.__setitem__ merges into an existing entry and keeps its string:
                # drop it first, so that the fragment's translation wins
                if message.id in catalog:
                    del catalog[message.id]
                catalog[message.id] = message
                merged += 1
        print(f"{part}: {merged} entries")
    with open(catalog_path, "wb") as f:
        write_po(f, catalog, width=0, sort_output=True)


if __name__ == "__main__":
    merge(sys.argv[1], sys.argv[2:])
