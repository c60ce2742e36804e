"""The account routes every REST stack serves with auth on: what each one is, whether it
needs a bearer token, which body it takes and what it answers.

One table for the OpenAPI document, the README's endpoint list and the API diff, so a
route added here shows up in all three. The request and response bodies are JSON Schemas
(the register body depends on the users table and is the stack's; here it is named).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

Schema = dict[str, Any]

# Passwords are hashed whole (scrypt reads every byte); the cap only bounds the work one
# request can cause. The JSON Schema caps characters (what clients and fuzzers can see);
# the service also caps UTF-8 bytes at 4 per character, so a schema-valid password always
# passes and a longer schema could never let an unbounded one through.
PASSWORD_MIN_CHARS = 8
PASSWORD_MAX_CHARS = 256
PASSWORD_MAX_BYTES = 4 * PASSWORD_MAX_CHARS


# The component names of the error responses the account routes document.
ERROR_NAMES = {400: "BadRequest", 401: "Unauthorized", 409: "Conflict"}


@dataclass(frozen=True)
class AuthRoute:
    method: str
    path: str  # under the API prefix
    operation_id: str
    summary: str
    token: bool  # needs a bearer token
    body: str | None  # component schema name of the request body
    ok: int  # the success status
    answer: str | None  # component schema name of the success body ("" for the account row)
    errors: tuple[int, ...]  # documented error statuses besides 401/403/415/429/500
    limited: bool  # rate limited per address and per account


ROUTES: tuple[AuthRoute, ...] = (
    AuthRoute("POST", "/auth/register", "register", "Create an account", False, "Credentials",
              201, "", (400, 409), True),
    AuthRoute("POST", "/auth/login", "login",
              "Exchange credentials for an access token and a refresh token", False, "Login",
              200, "Token", (400, 401), True),
    AuthRoute("POST", "/auth/refresh", "refresh",
              "Exchange a refresh token for a new pair (the old one stops working; using it "
              "again signs out every session of its family)", False, "Refresh", 200, "Token",
              (400, 401), True),
    AuthRoute("POST", "/auth/logout", "logout",
              "Revoke the session of a refresh token (its access tokens stop working too)",
              False, "Refresh", 204, None, (400,), False),
    AuthRoute("POST", "/auth/password", "changePassword",
              "Change the password: every session of the account is revoked and a new pair "
              "is returned (403 when the current password is wrong)", True, "PasswordChange",
              200, "Token", (400,), True),
    AuthRoute("GET", "/auth/me", "me", "The account of the bearer token", True, None, 200, "",
              (), False),
)


def password_schema() -> Schema:
    return {"type": "string", "minLength": PASSWORD_MIN_CHARS, "maxLength": PASSWORD_MAX_CHARS}


def body_schemas() -> dict[str, Schema]:
    """The request and response bodies every stack shares (not the register body)."""
    token = {"type": "string", "minLength": 1, "maxLength": 200}
    return {
        "Refresh": {"type": "object", "additionalProperties": False,
                    "required": ["refreshToken"], "properties": {"refreshToken": token}},
        "PasswordChange": {"type": "object", "additionalProperties": False,
                           "required": ["currentPassword", "newPassword"],
                           "properties": {"currentPassword": password_schema(),
                                          "newPassword": password_schema()}},
        "Token": {"type": "object", "additionalProperties": False,
                  "required": ["token", "tokenType", "expiresIn", "refreshToken",
                               "refreshExpiresIn"],
                  "properties": {
                      "token": {"type": "string", "description": "the access token (a JWT)"},
                      "tokenType": {"type": "string", "enum": ["Bearer"]},
                      "expiresIn": {"type": "string", "description": "access token lifetime"},
                      "refreshToken": {"type": "string",
                                       "description": "single use: POST it to /auth/refresh"},
                      "refreshExpiresIn": {"type": "string"},
                  }},
    }


def operations(prefix: str) -> list[tuple[str, bool]]:
    """("METHOD /prefix/path", needs a token) for every account route."""
    return [(f"{r.method} {prefix}{r.path}", r.token) for r in ROUTES]


def readme_rows(prefix: str) -> list[tuple[str, str, str, bool]]:
    return [(r.method, prefix + r.path, r.summary[:1].lower() + r.summary[1:], r.token)
            for r in ROUTES]
