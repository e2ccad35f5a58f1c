#!/usr/bin/env python3
"""Write Solr's security.json: BasicAuth for one user who may do everything, nobody else.

    solr_security.py FILE        (the user and password from SOLR_USER / SOLR_PASSWORD)

Used by config/bin/solr.sh for the local Solr (FILE in its solr home, from var/solr-credentials)
and by docker/solr (FILE /var/solr/data/security.json, from the container's environment).
The password is stored as Solr's BasicAuthPlugin stores it: base64(sha256(sha256(salt +
password))), a space, base64(salt). The file is rewritten only when the user or password
changed (it holds a fresh salt each time it is written); it is readable by its owner only.
Plain python3, no third-party module: the Solr image has no virtualenv.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import secrets
import sys


def password_hash(password: str, salt: bytes) -> str:
    once = hashlib.sha256(salt + password.encode("utf-8")).digest()
    twice = hashlib.sha256(once).digest()
    return f"{base64.b64encode(twice).decode()} {base64.b64encode(salt).decode()}"


def matches(stored: str, password: str) -> bool:
    try:
        _hash, salt = stored.split(" ", 1)
        return secrets.compare_digest(stored, password_hash(password, base64.b64decode(salt)))
    except ValueError:
        return False


def security(user: str, password: str) -> dict:
    return {
        "authentication": {
            "class": "solr.BasicAuthPlugin",
            "blockUnknown": True,
            "forwardCredentials": False,
            "credentials": {user: password_hash(password, secrets.token_bytes(32))},
        },
        "authorization": {
            "class": "solr.RuleBasedAuthorizationPlugin",
            "user-role": {user: ["admin"]},
            "permissions": [{"name": "all", "role": "admin"}],
        },
    }


def main() -> int:
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    path = sys.argv[1]
    user, password = os.environ.get("SOLR_USER", ""), os.environ.get("SOLR_PASSWORD", "")
    if not user or not password:
        print("solr_security.py: SOLR_USER and SOLR_PASSWORD must be set", file=sys.stderr)
        return 2
    try:
        with open(path, encoding="utf-8") as f:
            current = json.load(f)
        stored = current["authentication"]["credentials"]
        if list(stored) == [user] and matches(stored[user], password):
            return 0
    except (OSError, ValueError, KeyError, TypeError):
        pass
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    temporary = f"{path}.tmp"
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        json.dump(security(user, password), f, indent=2)
        f.write("\n")
    os.replace(temporary, path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
