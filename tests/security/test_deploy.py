"""The deployment's defences (issue 11 point 13): Solr answers only with BasicAuth, the
portal's configuration is private, security headers, login throttling, upload limits, and
the same in docker/."""

from __future__ import annotations

import base64
import configparser
import hashlib
import json
import os
import pathlib
import stat
import subprocess

import ckan.plugins.toolkit as tk
import pytest
import requests
from ckan.tests import factories

ROOT = pathlib.Path(__file__).resolve().parents[2]
BIN = ROOT / "config" / "bin"
DOCKER = ROOT / "docker"
HEADERS = ("X-Frame-Options", "X-Content-Type-Options", "Referrer-Policy")


def _solr_auth() -> tuple[str, str] | None:
    user, password = tk.config.get("solr_user"), tk.config.get("solr_password")
    return (user, password) if user and password else None


class TestSolr:
    def test_anonymous_requests_are_refused(self):
        core = tk.config["solr_url"].rstrip("/")
        base = core.rsplit("/", 1)[0]
        for url in (
            f"{core}/select?q=*:*",
            f"{core}/admin/ping",
            f"{base}/admin/cores?action=STATUS",
            f"{base}/admin/info/system",
        ):
            assert requests.get(url, timeout=10).status_code == 401, url
        assert _solr_auth(), "CKAN's solr_user and solr_password are set"
        ping = requests.get(f"{core}/admin/ping", auth=_solr_auth(), timeout=10)
        assert ping.status_code == 200

    def test_security_json_holds_solrs_hash_of_the_password(self, tmp_path):
        target = tmp_path / "home" / "security.json"
        env = {**os.environ, "SOLR_USER": "ckan", "SOLR_PASSWORD": "s3cret-pass"}
        script = [str(BIN / "solr_security.py"), str(target)]
        subprocess.run(["python3", *script], env=env, check=True)
        assert stat.S_IMODE(target.stat().st_mode) == 0o600
        security = json.loads(target.read_text())
        authentication = security["authentication"]
        assert authentication["class"] == "solr.BasicAuthPlugin"
        assert authentication["blockUnknown"] is True
        assert security["authorization"]["permissions"] == [{"name": "all", "role": "admin"}]
        stored, salt = authentication["credentials"]["ckan"].split(" ")
        once = hashlib.sha256(base64.b64decode(salt) + b"s3cret-pass").digest()
        assert base64.b64encode(hashlib.sha256(once).digest()).decode() == stored
        # the same credentials again: the file stays as it is (a running Solr's fingerprint)
        before = target.read_text()
        subprocess.run(["python3", *script], env=env, check=True)
        assert target.read_text() == before
        env["SOLR_PASSWORD"] = "another-pass"
        subprocess.run(["python3", *script], env=env, check=True)
        assert target.read_text() != before


def test_the_portal_configuration_is_readable_by_its_owner_only(tmp_path):
    """``portal.sh config`` (``make run``) writes var/ckan.ini 0600 with the Solr credentials
    of var/solr-credentials (0600 too)."""
    env = {**os.environ, "YIYANG_VAR": str(tmp_path)}
    subprocess.run([str(BIN / "portal.sh"), "config"], env=env, check=True, capture_output=True)
    ini, credentials = tmp_path / "ckan.ini", tmp_path / "solr-credentials"
    assert stat.S_IMODE(ini.stat().st_mode) == 0o600
    assert stat.S_IMODE(credentials.stat().st_mode) == 0o600
    parser = configparser.ConfigParser(interpolation=None)
    parser.read(ini, encoding="utf-8")
    made = dict(line.split("=", 1) for line in credentials.read_text().split())
    assert parser["app:main"]["solr_user"] == made["SOLR_USER"] == "ckan"
    assert parser["app:main"]["solr_password"] == made["SOLR_PASSWORD"]
    assert len(made["SOLR_PASSWORD"]) >= 24


@pytest.mark.usefixtures("with_plugins")
@pytest.mark.parametrize("path", ["/", "/dataset/", "/user/login", "/api/3/action/status_show"])
def test_security_headers(app, path):
    response = app.get(path)
    assert response.headers["X-Frame-Options"] == "SAMEORIGIN"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "frame-ancestors 'self'" in policy
    assert "unsafe-eval" not in policy


@pytest.mark.usefixtures("with_plugins", "clean_db")
@pytest.mark.ckan_config("ckanext.yiyang.login.max_attempts", 3)
def test_login_attempts_are_limited_per_account_and_address(app):
    user = factories.User(password="right-password-1")

    def log_in(password: str, address: str = "10.0.0.1"):
        return app.post(
            "/user/login",
            data={"login": user["name"], "password": password},
            environ_overrides={"REMOTE_ADDR": address},
            follow_redirects=False,
        )

    for _ in range(3):
        assert log_in("wrong").status_code == 200  # the form again, with its error
    refused = log_in("right-password-1")
    assert refused.status_code == 429
    assert "登录失败次数过多" in refused.get_data(as_text=True)
    # another address is not blocked by this one's failures; a success clears its counter
    app.client.delete_cookie("ckan")
    assert log_in("right-password-1", "10.0.0.2").status_code == 302


def test_upload_limits_are_configured():
    parser = configparser.ConfigParser(interpolation=None)
    parser.read(ROOT / "config" / "ckan-settings.ini", encoding="utf-8")
    settings = parser["app:main"]
    assert int(settings["ckan.max_resource_size"]) <= 100
    assert int(settings["ckan.max_image_size"]) <= 2
    for kind in ("user", "group"):
        assert settings[f"ckan.upload.{kind}.types"] == "image"
        assert "text/html" not in settings[f"ckan.upload.{kind}.mimetypes"]
        assert "image/svg+xml" not in settings[f"ckan.upload.{kind}.mimetypes"]


class TestDocker:
    def test_solr_image_writes_security_json(self):
        dockerfile = (DOCKER / "solr" / "Dockerfile").read_text()
        assert "docker/solr/security.sh /docker-entrypoint-initdb.d/" in dockerfile
        assert "config/bin/solr_security.py" in dockerfile
        ignore = (DOCKER / "solr" / "Dockerfile.dockerignore").read_text().split()
        assert "!config/bin/solr_security.py" in ignore

    def test_ckan_and_solr_share_the_credentials(self):
        compose = (DOCKER / "docker-compose.yml").read_text()
        for line in (
            "CKAN_SOLR_USER: ${SOLR_AUTH_USER:-ckan}",
            "CKAN_SOLR_PASSWORD: ${SOLR_AUTH_PASSWORD:?",
            "YIYANG_SOLR_USER: ${SOLR_AUTH_USER:-ckan}",
            "YIYANG_SOLR_PASSWORD: ${SOLR_AUTH_PASSWORD:?",
        ):
            assert line in compose
        assert "SOLR_AUTH_PASSWORD=" in (DOCKER / ".env.example").read_text()

    def test_nginx_sends_the_security_headers(self):
        conf = (DOCKER / "nginx" / "ckan.conf").read_text()
        for header in (*HEADERS, "Content-Security-Policy"):
            assert f"add_header {header} " in conf
            assert f"proxy_hide_header {header};" in conf
