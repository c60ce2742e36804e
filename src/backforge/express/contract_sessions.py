"""The session and abuse checks of the express-js contract (issue 13 parts 3 and 4),
run by `verify` against the live app after the CRUD contract.

Refresh rotates (a retired token is refused, and presenting it again revokes its family),
logout revokes (refresh after logout is 401, and so is the session's access token), a
password change revokes every session, no answer carries the password hash, a password
is never cut (the 72-byte prefix of a longer one does not sign in), a login flood on one
account meets 429 with Retry-After within FLOOD_ATTEMPTS, and a login for an unknown
login costs about what a wrong password for a known one costs (median of TIMING_SAMPLES
each, less than TIMING_RATIO apart).

The accounts here use sample variants from SESSION_VARIANT on, clear of the ones the
rest of the contract and the authorisation matrix register (express/matrixdata.py: up
to the few hundreds). Every request counts against the app's per-address
login limit (100 per 15 minutes by default); these checks send about 70 logins.
"""

from __future__ import annotations

import statistics
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from backforge.express import access
from backforge.express.context import project_context
from backforge.plan import Plan
from backforge.rest import auth as rest_auth
from backforge.verify.checks import Probe

SESSION_VARIANT = 900
UNKNOWN_VARIANT = 70  # sample logins no account has
TIMING_SAMPLES = 20
TIMING_ACCOUNTS = 4  # known-login samples spread so no account reaches its login limit
TIMING_RATIO = 2.0
FLOOD_ATTEMPTS = 20
PASSWORD = "session passphrase 123"
NEW_PASSWORD = "another session passphrase 456"
WRONG = "wrong passphrase 789"


@dataclass(frozen=True)
class SessionFigures:
    """What the checks measured, for the report."""

    unknown_ms: float  # median login time, unknown login
    known_ms: float  # median login time, known login with a wrong password
    attempts_to_429: int | None  # wrong logins on one account until the first 429

    @property
    def ratio(self) -> float:
        low, high = sorted((self.unknown_ms, self.known_ms))
        return high / low if low > 0 else float("inf")

    def __str__(self) -> str:
        flood = self.attempts_to_429 if self.attempts_to_429 is not None else "none"
        return (f"login median: unknown {self.unknown_ms:.1f} ms, known {self.known_ms:.1f} ms "
                f"(ratio {self.ratio:.2f}); attempts to 429: {flood}")


class _Accounts:
    """Registers and signs in the accounts of these checks."""

    def __init__(self, probe: Probe, plan: Plan) -> None:
        self.ctx = project_context(plan)
        self.acc = access.auth_context(self.ctx) or {}
        self.auth = f"{self.ctx.prefix}/auth"
        self.login_prop = self.acc["login"].prop
        self.probe = probe

    def body(self, variant: int, password: str = PASSWORD) -> dict[str, Any]:
        return access.register_body(self.ctx, variant, password) or {}

    def register(self, variant: int, name: str, password: str = PASSWORD) -> dict[str, Any]:
        res = self.probe.request("POST", f"{self.auth}/register", 201, name,
                                 body=self.body(variant, password))
        return res.body if isinstance(res.body, dict) else {}

    def credentials(self, variant: int, password: str) -> dict[str, Any]:
        return {self.login_prop: self.body(variant)[self.login_prop], "password": password}

    def login(self, variant: int, name: str, password: str = PASSWORD,
              expect: int = 200) -> dict[str, Any]:
        res = self.probe.request("POST", f"{self.auth}/login", expect, name,
                                 body=self.credentials(variant, password))
        return res.body if isinstance(res.body, dict) else {}

    def refresh(self, pair: dict[str, Any], expect: int, name: str) -> dict[str, Any]:
        res = self.probe.request("POST", f"{self.auth}/refresh", expect, name,
                                 body={"refreshToken": pair.get("refreshToken", "missing")})
        return res.body if isinstance(res.body, dict) else {}

    def me(self, pair: dict[str, Any], expect: int, name: str) -> dict[str, Any]:
        res = self.probe.with_token(pair.get("token")).request(
            "GET", f"{self.auth}/me", expect, name)
        return res.body if isinstance(res.body, dict) else {}


def _leaked(acc: dict[str, Any], row: dict[str, Any]) -> list[str]:
    """Properties of a returned row that hold or name the password hash."""
    column = acc["password_sql"].strip('"')
    return [k for k, v in row.items()
            if k in (column, "password", "passwordHash")
            or (isinstance(v, str) and v.startswith(("scrypt$", "$2")))]


def _check_rotation(a: _Accounts) -> None:
    row = a.register(SESSION_VARIANT, "register an account for the session checks")
    first = a.login(SESSION_VARIANT, "login returns an access and a refresh token")
    a.probe.expect(bool(first.get("token")) and bool(first.get("refreshToken")),
                   "login answers a token pair", f"got {first}")
    second = a.refresh(first, 200, "refresh answers a new pair")
    a.probe.expect(second.get("refreshToken") not in (None, first.get("refreshToken")),
                   "refresh rotates the refresh token", f"got {second}")
    me = a.me(second, 200, "the refreshed access token works")
    item = _users_item(a, row)
    shown = a.probe.with_token(second.get("token")).request(
        "GET", item, 200, "the account reads its own row", table=a.acc["users"].name)
    for what, body in (("register", row), ("me", me), ("the users row", shown.body),
                       ("login", first), ("refresh", second)):
        leaked = _leaked(a.acc, body) if isinstance(body, dict) else []
        a.probe.expect(not leaked, "the password hash is never returned",
                       f"{what} answered {leaked}")
    a.refresh(first, 401, "a retired refresh token is refused")
    a.refresh(second, 401, "reusing a retired token revokes its whole family")
    a.me(second, 401, "the access token of a revoked family is refused")


def _users_item(a: _Accounts, row: dict[str, Any]) -> str:
    users = a.acc["users"]
    keys = "".join(f"/{quote(str(row.get(c.prop)), safe='')}" for c in users.pk)
    return f"{a.ctx.prefix}{users.collection_path}{keys}"


def _check_logout_and_password(a: _Accounts) -> None:
    pair = a.login(SESSION_VARIANT, "login again after the family was revoked")
    a.probe.request("POST", f"{a.auth}/logout", 204, "logout",
                    body={"refreshToken": pair.get("refreshToken", "missing")})
    a.refresh(pair, 401, "refresh after logout is refused")
    a.me(pair, 401, "the access token of a logged-out session is refused")
    old = a.login(SESSION_VARIANT, "login before the password change")
    other = a.login(SESSION_VARIANT, "a second session of the same account")
    authed = a.probe.with_token(old.get("token"))
    authed.request("POST", f"{a.auth}/password", 403, "a wrong current password is refused",
                   body={"currentPassword": WRONG, "newPassword": NEW_PASSWORD})
    changed = authed.request("POST", f"{a.auth}/password", 200, "change the password",
                             body={"currentPassword": PASSWORD, "newPassword": NEW_PASSWORD})
    fresh = changed.body if isinstance(changed.body, dict) else {}
    a.refresh(old, 401, "a password change revokes the refresh token of this session")
    a.refresh(other, 401, "a password change revokes every other session")
    a.me(other, 401, "a password change revokes the access tokens of other sessions")
    a.me(fresh, 200, "the pair the password change returns works")
    a.login(SESSION_VARIANT, "the old password no longer signs in", expect=401)
    a.login(SESSION_VARIANT, "the new password signs in", password=NEW_PASSWORD)


def _check_password_length(a: _Accounts) -> None:
    too_long = "x" * (rest_auth.PASSWORD_MAX_CHARS + 1)
    res = a.probe.request("POST", f"{a.auth}/register", 400,
                          "a password over the cap is a 400 naming it",
                          body=a.body(SESSION_VARIANT + 1, too_long))
    error = res.body.get("error", {}) if isinstance(res.body, dict) else {}
    fields = [f.get("field") for f in error.get("fields", []) if isinstance(f, dict)]
    a.probe.expect("password" in fields, "the cap names the password field", f"got {res.body}")
    # The longest password there is, 4 bytes a character: bcrypt would have kept 72 bytes.
    longest = "\U0001F600" * rest_auth.PASSWORD_MAX_CHARS
    a.register(SESSION_VARIANT + 1, "register with the longest password", longest)
    a.login(SESSION_VARIANT + 1, "its first 72 bytes do not sign in", longest[:18], expect=401)
    a.login(SESSION_VARIANT + 1, "all but its last character does not sign in", longest[:-1],
            expect=401)
    a.login(SESSION_VARIANT + 1, "the whole password signs in", longest)


def _timed_login(a: _Accounts, credentials: dict[str, Any]) -> tuple[float, int]:
    started = time.perf_counter()
    res = a.probe.client.call("POST", f"{a.auth}/login", credentials)
    return (time.perf_counter() - started) * 1000, res.status


def _measure_timing(a: _Accounts) -> tuple[float, float]:
    """Median login time (ms) for unknown logins and for known ones with a wrong
    password, the two interleaved so drift in machine load hits both alike."""
    variants = [SESSION_VARIANT + 2 + i for i in range(TIMING_ACCOUNTS)]
    for v in variants:
        a.register(v, "register an account for the timing check")
    unknown, known, statuses = [], [], set()
    for i in range(TIMING_SAMPLES):
        login = a.body(UNKNOWN_VARIANT + i)[a.login_prop]
        took, status = _timed_login(a, {a.login_prop: login, "password": WRONG})
        unknown.append(took)
        statuses.add(status)
        took, status = _timed_login(a, a.credentials(variants[i % len(variants)], WRONG))
        known.append(took)
        statuses.add(status)
    a.probe.expect(statuses == {401}, "every timed login is a plain 401",
                   f"answers {sorted(statuses)}: a 429 would time the limiter, not the login")
    return statistics.median(unknown), statistics.median(known)


def _flood(a: _Accounts) -> int | None:
    variant = SESSION_VARIANT + 2 + TIMING_ACCOUNTS
    a.register(variant, "register an account for the login flood")
    for attempt in range(1, FLOOD_ATTEMPTS + 1):
        res = a.probe.client.call("POST", f"{a.auth}/login", a.credentials(variant, WRONG))
        if res.status == 429:
            retry = res.headers.get("retry-after", "")
            a.probe.expect(retry.isdigit() and int(retry) >= 1,
                           "429 carries Retry-After in seconds", f"Retry-After: {retry!r}")
            a.probe.request("POST", f"{a.auth}/login", 429,
                            "the right password is refused too while the account is limited",
                            body=a.credentials(variant, PASSWORD))
            return attempt
        if res.status != 401:
            a.probe.expect(False, "a wrong login is 401 until the limit",
                           f"attempt {attempt} answered {res.status}")
            return None
    return None


def check_sessions(probe: Probe, plan: Plan) -> SessionFigures | None:
    """Every session and abuse check; the measured figures (None with auth off)."""
    if access.auth_context(project_context(plan)) is None:
        return None
    a = _Accounts(probe, plan)
    _check_rotation(a)
    _check_logout_and_password(a)
    _check_password_length(a)
    unknown_ms, known_ms = _measure_timing(a)
    attempts = _flood(a)
    figures = SessionFigures(unknown_ms, known_ms, attempts)
    probe.expect(figures.ratio < TIMING_RATIO, f"login timing differs by less than "
                 f"{TIMING_RATIO:g}x (median of {TIMING_SAMPLES})", str(figures))
    probe.expect(attempts is not None, f"a login flood meets 429 within {FLOOD_ATTEMPTS} "
                 "attempts", str(figures))
    return figures


__all__ = ["SessionFigures", "check_sessions"]
