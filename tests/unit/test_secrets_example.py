"""The committed .streamlit/secrets.toml.example: copied as is it keeps the demo mode (no [auth]); its
commented [auth] block, uncommented, is a complete st.login configuration (docs/inloggen.md)."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

EXAMPLE = Path(__file__).resolve().parents[2] / ".streamlit" / "secrets.toml.example"
AUTH_KEYS = {"redirect_uri", "cookie_secret", "client_id", "client_secret", "server_metadata_url"}


def test_the_example_as_is_has_no_auth_section():
    assert "auth" not in tomllib.loads(EXAMPLE.read_text("utf-8"))


def test_the_commented_auth_block_is_a_complete_login_configuration():
    lines = EXAMPLE.read_text("utf-8").splitlines()
    start = lines.index("# [auth]")
    block = []
    for line in lines[start:]:
        if not re.match(r"# (\[auth\]|\w+ = )", line):
            break
        block.append(line.removeprefix("# "))
    auth = tomllib.loads("\n".join(block))["auth"]
    assert set(auth) == AUTH_KEYS
    assert auth["redirect_uri"].startswith("https://") and auth["redirect_uri"].endswith("/oauth2callback")
    assert auth["server_metadata_url"].endswith("/.well-known/openid-configuration")
