"""Real-browser OIDC login for the e2e tests: a local identity provider, a served app that trusts it, and
`login`/`logout` helpers that drive Streamlit's `st.login` flow in Playwright.

- `provider()` runs `oidc-provider-mock` (PyPI) on a free loopback port in a thread of the test process and
  yields an `OidcProvider` once its discovery document answers. The mock accepts any client id and secret and
  any redirect URI (no registration needed); its authorization form asks only for the `sub`. A `sub` it has
  not seen gets the claims `{"email": sub}`; other claims are set beforehand with `OidcProvider.set_user` (a
  PUT to the mock's `/users/<sub>`), which `login` does for you.
- `serve(script, provider, workdir)` writes a secrets file with an `[auth]` section into `workdir` and starts
  `streamlit run <script> --secrets.files <that file>` (the repo's `.streamlit/` is neither read for
  secrets nor touched), and yields the app's base URL on `localhost`: the URL the browser must use, because
  the redirect URI, the auth cookies and Streamlit's origin check all name `localhost`, not 127.0.0.1.
- `login(page, email, sub=None)` / `logout(page)` click the app's own buttons and go through the provider's
  pages; both return only when the app shows the other button again (positive evidence, not a timer).

No Streamlit import here: the app runs in its own process, the test only drives the browser.
"""

from __future__ import annotations

import json
import secrets as _secrets
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, urlsplit

import authlib.deprecate  # noqa: F401  (see QUIET_PROVIDER)
import pytest

from tests.e2e.conftest import wait_for_app
from tools import devserver

LOGIN_LABEL = "Inloggen"
LOGOUT_LABEL = "Uitloggen"
CLIENT_ID = "ketenmonitor-test"
CLIENT_SECRET = "test-secret-not-used-by-the-mock"

# Marks for a test module that uses the provider (`pytestmark = [pytest.mark.e2e, *oidc.QUIET_PROVIDER]`):
# the mock runs in the test process, imports Authlib modules that Authlib 1.9 calls deprecated and calls
# a deprecated Authlib API on every token; none of that is the app's code. Authlib installs an "always"
# filter for its warnings when first imported, which would override these marks if that happened inside a
# test: hence the import of authlib.deprecate above, at collection.
QUIET_PROVIDER = [
    pytest.mark.filterwarnings("ignore:get_jwt_config:DeprecationWarning"),
    pytest.mark.filterwarnings("ignore:authlib.jose module is deprecated"),
    pytest.mark.filterwarnings("ignore:The httpx module is deprecated"),
]


@dataclass(frozen=True)
class OidcProvider:
    """A running local identity provider; `url` is its issuer (`http://localhost:<port>`)."""

    url: str

    @property
    def metadata_url(self) -> str:
        return f"{self.url}/.well-known/openid-configuration"

    def set_user(self, sub: str, claims: dict[str, object]) -> None:
        """Register (or replace) the claims the provider puts in the tokens of `sub`."""
        set_user(self.url, sub, claims)


def set_user(provider_url: str, sub: str, claims: dict[str, object]) -> None:
    request = urllib.request.Request(
        f"{provider_url}/users/{quote(sub, safe='')}",
        data=json.dumps(claims).encode(),
        headers={"Content-Type": "application/json"},
        method="PUT",
    )
    with urllib.request.urlopen(request, timeout=10) as r:
        if r.status != 204:
            raise RuntimeError(f"the OIDC mock refused the user {sub!r}: HTTP {r.status}")


def _wait_until_answers(url: str, timeout_s: float) -> None:
    deadline = time.monotonic() + timeout_s
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2) as r:
                if r.status == 200 and "authorization_endpoint" in json.load(r):
                    return
        except OSError:
            pass
        if time.monotonic() > deadline:
            raise RuntimeError(f"the OIDC mock did not answer {url} within {timeout_s:.0f} s")
        time.sleep(0.1)


@contextmanager
def provider(timeout_s: float = 20) -> Iterator[OidcProvider]:
    """Run the OIDC mock on a free port of 127.0.0.1 (named `localhost`) until the context ends."""
    from oidc_provider_mock import run_server_in_thread  # imports Flask; only where a test needs it

    # Port 0: the server binds a free port itself, so there is no race with other test processes.
    with run_server_in_thread(port=0) as server:
        issuer = OidcProvider(f"http://localhost:{server.server_port}")
        _wait_until_answers(issuer.metadata_url, timeout_s)
        yield issuer


def write_secrets(
    path: Path,
    app_port: int,
    issuer: OidcProvider,
    client_id: str = CLIENT_ID,
    client_secret: str = CLIENT_SECRET,
) -> Path:
    """Write a secrets.toml whose `[auth]` section logs in through `issuer` for an app on `app_port`."""
    path.write_text(
        "[auth]\n"
        f'redirect_uri = "http://localhost:{app_port}/oauth2callback"\n'
        f'cookie_secret = "{_secrets.token_hex(32)}"\n'
        f'client_id = "{client_id}"\n'
        f'client_secret = "{client_secret}"\n'
        f'server_metadata_url = "{issuer.metadata_url}"\n',
        encoding="utf-8",
    )
    return path


@contextmanager
def serve(
    script: Path | str,
    issuer: OidcProvider,
    workdir: Path,
    *,
    db: Path | None = None,
    env: dict[str, str] | None = None,
    timeout_s: float = 60,
) -> Iterator[str]:
    """Serve `script` (a path, or "dashboard/app.py") with login through `issuer`; yields the base URL
    `http://localhost:<port>`. The secrets file and the server log are written into `workdir`; `db` and
    `env` are passed to `tools.devserver.start` (the dashboard needs `db`)."""
    port = devserver.free_port()
    secrets_file = write_secrets(workdir / "secrets.toml", port, issuer)
    proc, _ = devserver.start(
        db,
        workdir / "server.log",
        env=env,
        timeout_s=timeout_s,
        script=script,
        port=port,
        extra_args=["--secrets.files", str(secrets_file)],
    )
    try:
        yield f"http://localhost:{port}"
    finally:
        devserver.stop(proc)


def _button(page, label: str):
    return page.get_by_role("button", name=label, exact=True)


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def login(
    page,
    email: str,
    sub: str | None = None,
    *,
    claims: dict[str, object] | None = None,
    login_label: str = LOGIN_LABEL,
    logout_label: str = LOGOUT_LABEL,
    timeout_ms: int = 30_000,
) -> None:
    """Log in as `email` (`sub` defaults to the e-mail) from the app's login screen at `page`.

    Clicks the app's login button, sets the identity's claims at the provider (`email`, plus `claims`),
    submits the provider's form with the `sub`, follows the redirect back to the app's /oauth2callback and
    waits until the app, rerun with the auth cookie, shows its logout button."""
    sub = sub or email
    app_origin = _origin(page.url)
    _button(page, login_label).click(timeout=timeout_ms)
    # st.login makes the frontend navigate to /auth/login, which redirects to the provider's form.
    page.wait_for_selector('input[name="sub"]', timeout=timeout_ms)
    set_user(_origin(page.url), sub, {"email": email, **(claims or {})})
    page.fill('input[name="sub"]', sub)
    page.get_by_role("button", name="Authorize").click()
    # The callback exchanges the code server-side, sets the cookies and redirects to the app's root.
    page.wait_for_url(
        lambda url: _origin(url) == app_origin and "/oauth2callback" not in url, timeout=timeout_ms
    )
    _button(page, logout_label).wait_for(state="visible", timeout=timeout_ms)
    wait_for_app(page, timeout_ms)


def logout(
    page,
    *,
    login_label: str = LOGIN_LABEL,
    logout_label: str = LOGOUT_LABEL,
    timeout_ms: int = 30_000,
) -> None:
    """Log out with the app's logout button and wait until the app shows its login button again.

    st.logout clears the auth cookies and, because the provider publishes an end_session_endpoint,
    redirects to the provider's end-session page; the mock asks for a click there ("End session") and then
    redirects to the app's /oauth2callback, which (without a login state) redirects to the app's root."""
    _button(page, logout_label).click(timeout=timeout_ms)
    end_session = page.get_by_role("button", name="End session")
    end_session.or_(_button(page, login_label)).first.wait_for(state="visible", timeout=timeout_ms)
    if end_session.count():
        end_session.click()
    _button(page, login_label).wait_for(state="visible", timeout=timeout_ms)
    wait_for_app(page, timeout_ms)
