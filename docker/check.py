"""Static checks of docker/, runnable without a Docker engine: python docker/check.py

- the compose files parse; every image is pinned (a version tag, never `latest`), the FROM lines of
  the Dockerfiles too, and the images built here carry setup.py's version;
- every COPY source exists in the repository and is not left out by the Dockerfile's ignore file;
- the environment of the CKAN containers overrides every setting of config/ckan-settings.ini
  that points at the local machine, and no setting the file lacks;
- the image's plugin list is the settings' one (+ envvars), its pins are requirements.txt's,
  Solr is the launcher's version, and the configset is cloud-ready (`_version_` a plong);
- the settings name only plugins of ours that setup.py registers, the base `yiyang` first.

`problems()` returns the findings as strings (empty when all is well), for a test to assert on.
Standard library and PyYAML only.
"""

from __future__ import annotations

import configparser
import re
import shlex
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import yaml

DOCKER = Path(__file__).resolve().parent
ROOT = DOCKER.parent
COMPOSE_FILES = ("docker-compose.yml", "docker-compose.scale.yml", "docker-compose.solrcloud.yml")
CKAN_SERVICES = ("ckan", "worker")

# CKAN 2.12's ckan.config.environment.CONFIG_FROM_ENV_VARS (env var -> setting), the variables
# CKAN core itself reads over the ini file.
CKAN_ENV = {
    "CKAN_SQLALCHEMY_URL": "sqlalchemy.url",
    "CKAN_DATASTORE_WRITE_URL": "ckan.datastore.write_url",
    "CKAN_DATASTORE_READ_URL": "ckan.datastore.read_url",
    "CKAN_REDIS_URL": "ckan.redis.url",
    "CKAN_SOLR_URL": "solr_url",
    "CKAN_SOLR_USER": "solr_user",
    "CKAN_SOLR_PASSWORD": "solr_password",
    "CKAN_SITE_ID": "ckan.site_id",
    "CKAN_SITE_URL": "ckan.site_url",
    "CKAN_STORAGE_PATH": "ckan.storage_path",
    "CKAN_DATAPUSHER_URL": "ckan.datapusher.url",
    "CKAN_SMTP_SERVER": "smtp.server",
    "CKAN_SMTP_STARTTLS": "smtp.starttls",
    "CKAN_SMTP_USER": "smtp.user",
    "CKAN_SMTP_PASSWORD": "smtp.password",
    "CKAN_SMTP_MAIL_FROM": "smtp.mail_from",
    "CKAN_MAX_UPLOAD_SIZE_MB": "ckan.max_resource_size",
}
# A setting whose value contains one of these is about the local machine.
LOCAL = re.compile(r"127\.0\.0\.1|localhost|%\(here\)s")


class _Loader(yaml.SafeLoader):
    """SafeLoader that accepts Compose's `!reset` and `!override` tags."""


for _tag in ("!reset", "!override"):
    _Loader.add_constructor(_tag, lambda loader, node: None)  # the value is irrelevant here


def _rel(path: Path) -> str:
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)


def _pinned(image: str) -> bool:
    """`name:tag` with a version number in the tag (or a digest), never `latest`."""
    if "@sha256:" in image:
        return True
    name, _, tag = image.rpartition(":")
    return bool(name) and "/" not in tag and tag != "latest" and any(c.isdigit() for c in tag)


def _instructions(dockerfile: Path) -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) with continuations joined; comments and heredoc bodies skipped."""
    out: list[tuple[str, str]] = []
    lines = iter(dockerfile.read_text(encoding="utf-8").splitlines())
    for line in lines:
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        while line.endswith("\\"):
            nxt = next(lines, "")
            line = line[:-1] + " " + ("" if nxt.lstrip().startswith("#") else nxt.strip())
        word, _, args = line.strip().partition(" ")
        out.append((word.upper(), args.strip()))
        heredoc = re.search(r"<<-?\s*['\"]?(\w+)['\"]?", args)
        if heredoc and word.upper() == "RUN":
            for body in lines:
                if body.strip() == heredoc.group(1):
                    break
    return out


def _copy_sources(args: str) -> list[str] | None:
    """The sources of a COPY/ADD (None for --from=, whose sources are another stage's)."""
    words = shlex.split(args)
    if any(w.startswith("--from") for w in words):
        return None
    words = [w for w in words if not w.startswith("--")]
    if words and words[0].startswith("["):  # JSON form
        words = yaml.safe_load(" ".join(words))
    return list(words[:-1])


def _ignored(path: str, patterns: list[str]) -> bool:
    """Docker's ignore-file semantics: last matching pattern wins; a matched directory
    covers everything under it; `*` stays within one path segment, `**` crosses them."""

    def regex(pattern: str) -> re.Pattern[str]:
        out, i = "", 0
        while i < len(pattern):
            if pattern.startswith("**", i):
                out, i = out + ".*", i + 2
            elif pattern[i] == "*":
                out, i = out + "[^/]*", i + 1
            elif pattern[i] == "?":
                out, i = out + "[^/]", i + 1
            else:
                out, i = out + re.escape(pattern[i]), i + 1
        return re.compile(out + "$")

    parts = path.strip("/").split("/")
    prefixes = ["/".join(parts[: n + 1]) for n in range(len(parts))]
    ignored = False
    for raw in patterns:
        negate = raw.startswith("!")
        pattern = raw[1:] if negate else raw
        pattern = pattern.strip().strip("/")
        if pattern.startswith("**/"):
            rx = regex(pattern[3:])
            hit = any(rx.match(p) for p in parts) or any(regex(pattern).match(p) for p in prefixes)
        else:
            hit = any(regex(pattern).match(p) for p in prefixes)
        if hit:
            ignored = not negate
    return ignored


def _ignore_patterns(dockerfile: Path) -> list[str]:
    own = dockerfile.with_name(dockerfile.name + ".dockerignore")
    ignore = own if own.exists() else ROOT / ".dockerignore"
    if not ignore.exists():
        return []
    lines = ignore.read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


def _env_value(instructions: list[tuple[str, str]], key: str) -> str | None:
    for word, args in instructions:
        if word == "ENV":
            for item in shlex.split(args):
                k, eq, v = item.partition("=")
                if eq and k == key:
                    return v
    return None


def _settings() -> dict[str, str]:
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read(ROOT / "config" / "ckan-settings.ini", encoding="utf-8")
    return dict(parser["app:main"])


def _from(instructions: list[tuple[str, str]]) -> str:
    return next(
        w
        for word, args in instructions
        if word == "FROM"
        for w in args.split()
        if not w.startswith("--")
    )


def _services(found: list[str]) -> dict[str, dict]:
    """The services of the compose files, each later file's keys over the earlier ones'."""
    services: dict[str, dict] = {}
    for name in COMPOSE_FILES:
        try:
            data = yaml.load((DOCKER / name).read_text(encoding="utf-8"), Loader=_Loader)
        except (OSError, yaml.YAMLError) as exc:
            found.append(f"{name}: does not parse: {exc}")
            return {}
        if not isinstance(data, dict) or not isinstance(data.get("services"), dict):
            found.append(f"{name}: no services")
            return {}
        for svc, spec in data["services"].items():
            merged = services.setdefault(svc, {})
            for key, value in spec.items():
                # Compose merges mappings (environment, depends_on) key by key
                if isinstance(value, dict) and isinstance(merged.get(key), dict):
                    merged[key] = {**merged[key], **value}
                else:
                    merged[key] = value
    return services


def _check_images(services: dict[str, dict], found: list[str]) -> dict[str, Path]:
    """Pinned images; built ones tagged with setup.py's version, from the repository root.
    Returns the Dockerfile of each built service."""
    setup = (ROOT / "setup.py").read_text(encoding="utf-8")
    version = re.search(r'version="([^"]+)"', setup)
    dockerfiles: dict[str, Path] = {}
    for svc, spec in services.items():
        image, build = spec.get("image"), spec.get("build")
        if image and not _pinned(image):
            found.append(f"service {svc}: image {image!r} is not pinned to a version")
        if build is None:
            if not image:
                found.append(f"service {svc}: neither image nor build")
            continue
        if not image:
            found.append(f"service {svc}: a built image needs an image: name:version")
        elif version and not image.endswith(":" + version.group(1)):
            found.append(f"service {svc}: built image {image!r} is not tagged {version.group(1)}")
        context = (DOCKER / build.get("context", ".")).resolve()
        if context != ROOT:
            found.append(f"service {svc}: build context {context} is not the repository root")
        dockerfile = context / build.get("dockerfile", "Dockerfile")
        if dockerfile.is_file():
            dockerfiles[svc] = dockerfile
        else:
            found.append(f"service {svc}: {_rel(dockerfile)} does not exist")
    return dockerfiles


def _check_dockerfile(dockerfile: Path, found: list[str]) -> None:
    """Pinned FROM; every COPY source in the repository and sent by the ignore file."""
    name, patterns = _rel(dockerfile), _ignore_patterns(dockerfile)
    for word, args in _instructions(dockerfile):
        if word == "FROM" and not _pinned(_from([(word, args)])):
            found.append(f"{name}: FROM {args} is not pinned to a version")
        if word not in ("COPY", "ADD"):
            continue
        for source in _copy_sources(args) or []:
            if not list(ROOT.glob(source)):
                found.append(f"{name}: COPY source {source} is not in the repository")
            elif _ignored(source, patterns):
                found.append(f"{name}: COPY source {source} is left out by its ignore file")


# Pins of requirements.txt the image does without: what it has its own of.
LOCAL_ONLY = {
    "gunicorn": "the local stack's web server (make run); the image serves with its own uWSGI",
}


def _check_versions(dockerfiles: dict[str, Path], settings: dict[str, str], found: list[str]):
    """The CKAN image against requirements.txt and the settings; Solr against the launcher."""
    requirements = (ROOT / "requirements.txt").read_text(encoding="utf-8")
    pins = dict(re.findall(r"^([A-Za-z0-9_.\-\[\]]+)==(\S+)", requirements, re.M))
    if ckan_df := dockerfiles.get("ckan"):
        name, instructions = _rel(ckan_df), _instructions(ckan_df)
        text, base = ckan_df.read_text(encoding="utf-8"), _from(instructions)
        for package, pin in pins.items():
            if package.split("[")[0].lower() == "ckan":
                if not base.split(":")[-1].startswith(pin):
                    found.append(f"{name}: FROM {base} is not CKAN {pin} (requirements.txt)")
            elif f"{package}=={pin}" not in text and package.lower() not in LOCAL_ONLY:
                found.append(f"{name}: does not install {package}=={pin} (requirements.txt)")
        plugins = (_env_value(instructions, "CKAN__PLUGINS") or "").split()
        wanted = settings.get("ckan.plugins", "").split()
        if not plugins or plugins[-1] != "envvars":
            found.append(f"{name}: CKAN__PLUGINS must end with envvars")
        elif plugins[:-1] != wanted:
            found.append(
                f"{name}: CKAN__PLUGINS {plugins[:-1]} (+ envvars) is not ckan.plugins of "
                f"config/ckan-settings.ini {wanted}"
            )
    pom = (ROOT / "config" / "solr-launcher" / "pom.xml").read_text(encoding="utf-8")
    solr = re.search(r"<solr.version>([^<]+)</solr.version>", pom)
    if (solr_df := dockerfiles.get("solr")) and solr:
        base = _from(_instructions(solr_df))
        if base.split(":")[-1] != solr.group(1):
            found.append(
                f"{_rel(solr_df)}: FROM {base} is not the launcher's Solr {solr.group(1)}"
            )


def _check_plugins(settings: dict[str, str], found: list[str]) -> None:
    """Our plugins of the settings are entry points of setup.py, the base before its add-ons
    (a name left over from before a merge would stop CKAN at start)."""
    setup = (ROOT / "setup.py").read_text(encoding="utf-8")
    ours = re.findall(r'"(\w+) = ckanext\.yiyang\.', setup)
    wanted = settings.get("ckan.plugins", "").split()
    for name in wanted:
        if name.startswith("yiyang") and name not in ours:
            found.append(
                f"config/ckan-settings.ini: ckan.plugins names {name}, "
                "which setup.py does not register"
            )
    listed = [name for name in wanted if name in ours]
    if listed and listed[0] != "yiyang":
        found.append("config/ckan-settings.ini: ckan.plugins must list yiyang before its add-ons")


def _overrides(env: dict[str, str]) -> dict[str, str]:
    """Setting -> the variable of `env` that sets it: CKAN core's own variables, and the
    ckanext-envvars names (CKAN__X__Y -> ckan.x.y, CKANEXT__X -> ckanext.x, CKAN___X -> x)."""
    out = {CKAN_ENV[var]: var for var in env if var in CKAN_ENV}
    for var in env:
        if var.startswith("CKAN___"):
            out[var[7:].lower().replace("__", ".")] = var
        elif var.startswith(("CKAN__", "CKANEXT__")):
            out[var.lower().replace("__", ".")] = var
    return out


def _check_environment(services: dict[str, dict], settings: dict[str, str], found: list[str]):
    """Each local value of the settings overridden in every CKAN container; nothing else."""
    local = {key: value for key, value in settings.items() if LOCAL.search(value)}
    core = settings.get("solr_url", "").rstrip("/").rsplit("/", 1)[-1]
    for svc in CKAN_SERVICES:
        env = services.get(svc, {}).get("environment") or {}
        if isinstance(env, list):
            env = dict(item.partition("=")[::2] for item in env)
        overrides = _overrides(env)
        for key, var in sorted(overrides.items()):
            if key not in settings:
                found.append(
                    f"service {svc}: {var} sets {key}, which config/ckan-settings.ini lacks"
                )
        if "ckan.plugins" in overrides:
            found.append(f"service {svc}: the plugin list belongs in docker/ckan/Dockerfile")
        for key, value in local.items():
            if key not in overrides:
                var = next((v for v, k in CKAN_ENV.items() if k == key), None)
                if var is None:  # ckanext-envvars' name for it
                    var = key.upper().replace(".", "__")
                    var = var if var.startswith("CKAN") else "CKAN___" + var
                found.append(f"service {svc}: no {var}, so {key} stays {value}")
        if "CKAN_SECRET_KEY" not in env:
            found.append(f"service {svc}: no CKAN_SECRET_KEY (yiyang-config.sh needs it)")
        solr_url = str(env.get("CKAN_SOLR_URL", ""))
        if solr_url and not solr_url.rstrip("/").endswith("/solr/" + core):
            found.append(f"service {svc}: CKAN_SOLR_URL {solr_url} is not the core {core!r}")


def _check_secrets_and_schema(found: list[str]) -> None:
    # Every variable compose requires is in .env.example; .env stays out of git.
    example = (DOCKER / ".env.example").read_text(encoding="utf-8")
    defined = set(re.findall(r"^([A-Z_][A-Z0-9_]*)=", example, re.M))
    for name in COMPOSE_FILES:
        text = (DOCKER / name).read_text(encoding="utf-8")
        for var in sorted(set(re.findall(r"\$\{([A-Z_][A-Z0-9_]*):\?", text)) - defined):
            found.append(f"{name}: requires ${{{var}}}, which .env.example does not define")
    gitignore = DOCKER / ".gitignore"
    if not gitignore.exists() or ".env" not in gitignore.read_text(encoding="utf-8").split():
        found.append("docker/.gitignore must list .env")
    # One configset for standalone Solr and SolrCloud needs a numeric _version_ (ckan/ckan#8373).
    schema = ROOT / "config" / "solr" / "configsets" / "ckan" / "conf" / "schema.xml"
    try:
        fields = {f.get("name"): f.get("type") for f in ET.parse(schema).iter("field")}
    except (OSError, ET.ParseError) as exc:
        found.append(f"{_rel(schema)}: cannot be read: {exc}")
        return
    if fields.get("_version_") not in ("plong", "long"):
        found.append(
            f"{_rel(schema)}: _version_ is {fields.get('_version_')!r}, not plong: "
            "SolrCloud replica recovery breaks (docker/README.md, Scaling out)"
        )


def problems() -> list[str]:
    found: list[str] = []
    services = _services(found)
    if not services:
        return found
    settings = _settings()
    dockerfiles = _check_images(services, found)
    for dockerfile in sorted(set(dockerfiles.values())):
        _check_dockerfile(dockerfile, found)
    _check_versions(dockerfiles, settings, found)
    _check_plugins(settings, found)
    _check_environment(services, settings, found)
    _check_secrets_and_schema(found)
    return found


def main() -> int:
    found = problems()
    for line in found:
        print(f"docker/check.py: {line}", file=sys.stderr)
    if not found:
        print("docker/check.py: all checks passed")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
