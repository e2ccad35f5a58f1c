"""Write the English catalog: CKAN's strings that name datasets and organizations, in the
portal's terms (resources, units). Run again after a CKAN upgrade:

    .venv/bin/python config/bin/en_terms.py

CKAN's English pages say "Datasets" and "Organizations"; the portal's English pages say what
its Chinese ones do (信息资源 = resource, 单位 = unit). Only words outside placeholders
({dataset}, %(count)s) and HTML tags (/dataset/ links) change.
"""

from __future__ import annotations

import pathlib
import re

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

ROOT = pathlib.Path(__file__).resolve().parents[2]
CKAN_POT = ROOT / ".venv/lib/python3.11/site-packages/ckan/i18n/ckan.pot"
OUT = ROOT / "ckanext-yiyang/ckanext/yiyang/i18n/en/LC_MESSAGES/ckanext-yiyang.po"

WORDS = [
    (r"\bDatasets\b", "Resources"),
    (r"\bdatasets\b", "resources"),
    (r"\bDataset\b", "Resource"),
    (r"\bdataset\b", "resource"),
    (r"\bOrganizations\b", "Units"),
    (r"\borganizations\b", "units"),
    (r"\bOrganization\b", "Unit"),
    (r"\borganization\b", "unit"),
    (r"\b([Aa])n unit\b", r"\1 unit"),
]
# Placeholders and tags are kept as they are.
KEEP = re.compile(r"(\{[^}]*\}|%\([^)]*\)[a-z]|<[^>]*>)")


def terms(text: str) -> str:
    parts = KEEP.split(text)
    for i in range(0, len(parts), 2):
        part = parts[i]
        if not re.search(r"[Dd]ataset|[Oo]rganization", part):
            continue
        for pattern, replacement in WORDS:
            part = re.sub(pattern, replacement, part)
        parts[i] = part
    return "".join(parts)


def main() -> None:
    with CKAN_POT.open("rb") as f:
        pot = read_po(f)
    catalog = Catalog(locale="en", domain="ckanext-yiyang", project="ckanext-yiyang", fuzzy=False)
    for message in pot:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        translated = tuple(terms(i) for i in ids)
        if translated == ids:
            continue
        string = translated if isinstance(message.id, tuple) else translated[0]
        catalog.add(message.id, string)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    with OUT.open("wb") as f:
        write_po(f, catalog, width=0, sort_output=True, omit_header=False)
    print(f"{OUT}: {len(catalog)} entries")


if __name__ == "__main__":
    main()
