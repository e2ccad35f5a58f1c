"""The package works from a built wheel, not only from the editable checkout."""

from __future__ import annotations

import pathlib
import subprocess
import sys
import sysconfig
import textwrap
import zipfile

ROOT = pathlib.Path(__file__).resolve().parent.parent


def _run(*cmd: str | pathlib.Path, cwd: pathlib.Path | None = None) -> str:
    done = subprocess.run(
        [str(c) for c in cmd], cwd=cwd, capture_output=True, text=True, timeout=600
    )
    assert done.returncode == 0, f"{cmd} failed:\n{done.stdout}\n{done.stderr}"
    return done.stdout


def test_wheel_installs_and_imports(tmp_path):
    dist = tmp_path / "dist"
    _run(sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", dist, ROOT)
    (wheel,) = dist.glob("ckanext_yiyang-*.whl")

    names = zipfile.ZipFile(wheel).namelist()
    assert "ckanext/yiyang/plugin.py" in names
    assert "ckanext/yiyang/schemas/dataset.yaml" in names
    assert "ckanext/yiyang/schemas/organization.yaml" in names
    assert "ckanext/yiyang/config_declaration.yaml" in names
    assert "ckanext/yiyang/i18n/zh_Hans_CN/LC_MESSAGES/ckanext-yiyang.mo" in names
    assert any(n.startswith("ckanext/yiyang/migration/yiyang/versions/") for n in names)
    assert any(n.startswith("ckanext/yiyang/templates/") for n in names)
    # The features' own folders: templates, assets and option declarations of each.
    for feature in (
        "notify",
        "review",
        "subscription",
        "demand",
        "survey",
        "imports",
        "book",
        "progress",
        "services",
        "exchange",
    ):
        assert any(n.startswith(f"ckanext/yiyang/{feature}/templates/") for n in names), feature
    assert "ckanext/yiyang/exchange/gbt21063.xsd" in names
    for folder in (
        "notify",
        "subscription",
        "demand",
        "survey",
        "imports",
        "book",
        "progress",
        "services",
    ):
        assert f"ckanext/yiyang/{folder}/config_declaration.yaml" in names, folder
    assert "ckanext/yiyang/notify/assets/webassets.yml" in names
    assert not any(n.startswith("ckanext/__init__") for n in names), "ckanext is a namespace"

    # A scratch venv with the wheel; CKAN and the other dependencies come from the project's
    # venv by path (a plain path in a .pth file: its own .pth files, among them the editable
    # install of this checkout, are not processed).
    venv = tmp_path / "venv"
    _run(sys.executable, "-m", "venv", venv)
    purelib = pathlib.Path(
        _run(
            venv / "bin" / "python",
            "-c",
            "import sysconfig; print(sysconfig.get_paths()['purelib'])",
        ).strip()
    )
    (purelib / "project_deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    _run(venv / "bin" / "python", "-m", "pip", "install", "-q", "--no-deps", "--no-index", wheel)

    probe = textwrap.dedent(
        """
        import importlib.metadata, inspect, os, ckanext.yiyang.plugin as plugin
        import ckanext.yiyang.schemas as schemas
        here = os.path.dirname(inspect.getfile(schemas))
        print(plugin.__file__)
        print(os.path.exists(os.path.join(here, "dataset.yaml")))
        eps = importlib.metadata.entry_points(group="ckan.plugins")
        print([e.value for e in eps if e.name == "yiyang"])
        print(sorted(e.name for e in eps if e.value.startswith("ckanext.yiyang.")))
        """
    )
    out = _run(venv / "bin" / "python", "-c", probe, cwd=tmp_path).splitlines()
    assert out[0].startswith(str(purelib)), f"imported from {out[0]}, not from the wheel"
    assert out[1] == "True"
    assert out[2] == "['ckanext.yiyang.plugin:YiyangPlugin']"
    # The base and its three add-ons (review, subscriptions, demands, notifications and imports
    # are no plugins of their own any more).
    assert (
        out[3]
        == "['yiyang', 'yiyang_book', 'yiyang_harvester', 'yiyang_progress', 'yiyang_survey']"
    )
