"""Packaging of ckanext-yiyang.

The plugin code lives in ``ckanext-yiyang/`` (namespace package ``ckanext.yiyang``) and the
scheming YAML in the top-level ``schemas/`` folder, installed as ``ckanext.yiyang.schemas`` so
that ``scheming.dataset_schemas = ckanext.yiyang.schemas:dataset.yaml`` works from an editable
install and from a built wheel alike. Translation catalogs are compiled while building.
"""

from __future__ import annotations

import pathlib

from setuptools import find_namespace_packages, setup
from setuptools.command.build_py import build_py

HERE = pathlib.Path(__file__).parent
SRC = "ckanext-yiyang"


class BuildWithCatalogs(build_py):
    """Compile the ``.po`` catalogs to ``.mo`` before the files are copied."""

    def run(self) -> None:
        from babel.messages.mofile import write_mo
        from babel.messages.pofile import read_po

        for po in (HERE / SRC).glob("ckanext/yiyang/i18n/*/LC_MESSAGES/*.po"):
            with po.open("rb") as f:
                catalog = read_po(f)
            with po.with_suffix(".mo").open("wb") as f:
                write_mo(f, catalog)
        super().run()


packages = find_namespace_packages(SRC, include=["ckanext.yiyang", "ckanext.yiyang.*"])
packages.append("ckanext.yiyang.schemas")

setup(
    name="ckanext-yiyang",
    version="0.1.0",
    description="益阳市政务信息资源目录与共享平台 — a CKAN 2.12 extension (GB/T 21063)",
    long_description=(HERE / "README.md").read_text(encoding="utf-8"),
    long_description_content_type="text/markdown",
    license="AGPL-3.0-or-later",
    python_requires=">=3.10",
    package_dir={"": SRC, "ckanext.yiyang.schemas": "schemas"},
    packages=packages,
    include_package_data=False,
    package_data={
        "ckanext.yiyang": [
            "config_declaration.yaml",
            "*/config_declaration.yaml",
            "templates/**/*",
            "*/templates/**/*",
            "public/**/*",
            "assets/**/*",
            "*/assets/**/*",
            "i18n/*/LC_MESSAGES/*.po",
            "i18n/*/LC_MESSAGES/*.mo",
            "data/**/*",
            "migration/**/*",
            "exchange/*.xsd",
        ],
        "ckanext.yiyang.schemas": ["*.yaml", "*.json"],
    },
    cmdclass={"build_py": BuildWithCatalogs},
    entry_points={
        "ckan.plugins": [
            # The catalog and its rules; then the add-ons, each needing it.
            "yiyang = ckanext.yiyang.plugin:YiyangPlugin",
            "yiyang_survey = ckanext.yiyang.survey.plugin:YiyangSurveyPlugin",
            "yiyang_book = ckanext.yiyang.book.plugin:YiyangBookPlugin",
            "yiyang_progress = ckanext.yiyang.progress.plugin:YiyangProgressPlugin",
            "yiyang_harvester = ckanext.yiyang.harvest.plugin:YiyangHarvesterPlugin",
        ],
        "ckan.rdf.profiles": [
            "yiyang = ckanext.yiyang.exchange.dcat:YiyangDCATProfile",
        ],
        "babel.extractors": [
            "ckan = ckan.lib.extract:extract_ckan",
        ],
    },
    zip_safe=False,
)
