"""docker/ stays consistent with the local stack (no Docker engine here: static checks)."""

from __future__ import annotations

import importlib.util
import pathlib

ROOT = pathlib.Path(__file__).resolve().parent.parent


def _check():
    spec = importlib.util.spec_from_file_location("docker_check", ROOT / "docker" / "check.py")
    assert spec and spec.loader
    check = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(check)
    return check


def test_docker_deployment_is_consistent_with_config():
    assert _check().problems() == []


def test_stale_plugin_names_and_order_are_found():
    found: list[str] = []
    _check()._check_plugins({"ckan.plugins": "yiyang_book yiyang yiyang_review activity"}, found)
    assert found == [
        "config/ckan-settings.ini: ckan.plugins names yiyang_review, which setup.py does not "
        "register",
        "config/ckan-settings.ini: ckan.plugins must list yiyang before its add-ons",
    ]


def test_solrcloud_compose_runs_our_configset_as_a_2x2_collection():
    """docker-compose.solrcloud.yml: ZooKeeper's official image, two Solr nodes of the single
    Solr's image (the official Solr image with config/solr/configsets/ckan) in cloud mode, the
    configset uploaded and the collection `ckan` made 2 x 2 from it, nginx in front of both
    nodes, and CKAN's solr_url the only CKAN setting that changes."""
    import re

    import yaml

    check = _check()
    docker = ROOT / "docker"
    base = yaml.load((docker / "docker-compose.yml").read_text("utf-8"), Loader=check._Loader)
    cloud = yaml.load(
        (docker / "docker-compose.solrcloud.yml").read_text("utf-8"), Loader=check._Loader
    )
    services = cloud["services"]
    assert check._pinned(services["zookeeper"]["image"])
    assert services["zookeeper"]["image"].startswith("zookeeper:")

    solr_image = base["services"]["solr"]["image"]
    nodes = {name for name, spec in services.items() if spec.get("command") == ["solr-foreground"]}
    assert nodes == {"solr", "solr2"}
    for name in nodes:
        env = services[name]["environment"]
        assert env["ZK_HOST"] == "zookeeper:2181" and env["SOLR_HOST"] == name
        assert services[name]["depends_on"] == {
            "solr-zk-init": {"condition": "service_completed_successfully"}
        }
    for name in ("solr2", "solr-zk-init", "solr-collection"):
        assert services[name]["image"] == solr_image
        assert services[name]["build"] == base["services"]["solr"]["build"]
    # each node its own index
    assert services["solr2"]["volumes"] == ["solr2_data:/var/solr"]
    assert base["services"]["solr"]["volumes"] == ["solr_data:/var/solr"]
    assert services["solr-collection"]["depends_on"] == {
        "solr": {"condition": "service_healthy"},
        "solr2": {"condition": "service_healthy"},
    }
    env = services["solr-collection"]["environment"]
    assert (env["SOLRCLOUD_SHARDS"], env["SOLRCLOUD_REPLICAS"]) == ("2", "2")

    # the configset the image copies is the one uploaded, and the collection is made from it
    dockerfile = (docker / "solr" / "Dockerfile").read_text("utf-8")
    copied = re.search(r"^COPY config/solr/configsets/ckan (\S+)$", dockerfile, re.M)
    assert copied
    assert "COPY docker/solr/solrcloud.sh /opt/yiyang/solrcloud.sh" in dockerfile
    script = (docker / "solr" / "solrcloud.sh").read_text("utf-8")
    assert f"CONFIGSET={copied.group(1)}\n" in script
    assert 'solr zk upconfig -n ckan -d "$CONFIGSET"' in script
    assert "zk:/security.json" in script and "solr_security.py" in script
    assert "action=CREATE&name=ckan&collection.configName=ckan&numShards=" in script
    assert "replicationFactor=${SOLRCLOUD_REPLICAS:-2}" in script

    # CKAN reaches the collection through the balancer, which names both nodes
    for svc in ("ckan", "worker"):
        assert services[svc]["environment"] == {"CKAN_SOLR_URL": "http://solr-lb:8983/solr/ckan"}
        assert services[svc]["depends_on"] == {"solr-lb": {"condition": "service_healthy"}}
    lb = (docker / "nginx" / "solr-lb.conf").read_text("utf-8")
    assert re.findall(r"^\s*server (\S+) ", lb, re.M) == ["solr:8983", "solr2:8983"]
    assert "listen 8983;" in lb and "proxy_next_upstream error" in lb
    assert services["solr-lb"]["volumes"] == [
        "./nginx/solr-lb.conf:/etc/nginx/conf.d/default.conf:ro"
    ]
    assert {"solr2_data", "zookeeper_data", "zookeeper_datalog"} <= set(cloud["volumes"])


def test_compose_files_merge_environments_key_by_key():
    """The overlays set one variable of a service's environment; the others stay (as Compose
    merges them), so the checks see CKAN's whole environment."""
    services = _check()._services([])
    env = services["ckan"]["environment"]
    assert env["CKAN_SOLR_URL"] == "http://solr-lb:8983/solr/ckan"
    assert "CKAN_SQLALCHEMY_URL" in env and "CKAN_SECRET_KEY" in env
    assert set(services["ckan"]["depends_on"]) >= {"db", "solr", "redis", "solr-lb"}


def test_postgresql_runs_without_jit_here_and_in_docker():
    """Both stacks start PostgreSQL with ``jit=off`` (the review queue over 95,732 entries spent
    0.7 of 1.5 s compiling its query)."""
    import sqlalchemy as sa
    import yaml

    compose = yaml.safe_load((ROOT / "docker" / "docker-compose.yml").read_text())
    assert compose["services"]["db"]["command"] == ["postgres", "-c", "jit=off"]
    import configparser
    import os

    ini = configparser.ConfigParser(interpolation=None)
    ini.read(ROOT / "config" / "test.ini", encoding="utf-8")
    url = os.environ.get("CKAN_SQLALCHEMY_URL") or ini["app:main"]["sqlalchemy.url"]
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            assert conn.execute(sa.text("SHOW jit")).scalar() == "off"
    finally:
        engine.dispose()
