"""Bearer tokens: short-lived signed access tokens bound to a login session, rotating refresh tokens, role checks;
the authenticated user is forwarded to the services (signed identity). Password hashes: passwords.py."""
from __future__ import annotations

import hashlib
import secrets
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Annotated

import jwt
from fastapi import Depends, Request
from fastapi.security import OAuth2PasswordBearer

from gramota.shared.expiring import ExpiringCache
from gramota.shared.grpc_runtime import Identity, identity

from . import repository
from .problems import Problem

ROLES = ("candidate", "hr", "curator", "admin")
_bearer = OAuth2PasswordBearer(tokenUrl="/api/v1/auth/token", auto_error=False)


@dataclass(frozen=True)
class Scope:
    """Which results an analyst may see. Admins: everything. Curators: only their districts/regions."""

    unrestricted: bool
    districts: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()

    def allows(self, federal_district: str, region: str) -> bool:
        return self.unrestricted or federal_district in self.districts or region in self.regions


@dataclass(frozen=True)
class Principal:
    user_id: str
    username: str
    role: str
    full_name: str
    districts: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()
    session_id: str = ""
    # the account's own place (a candidate's attempt snapshot takes it), read with the account on every request
    federal_district: str = ""
    region: str = ""
    organization: str = ""

    @property
    def scope(self) -> Scope:
        return Scope(self.role == "admin", self.districts, self.regions)


def issue_token(secret: str, principal: Principal, minutes: int) -> tuple[str, int]:
    """A signed access token for the principal's login session. Role and scope are re-read from the account on
    every request, so the claims here are informative only (a changed role applies at once)."""
    now = datetime.now(UTC)
    claims = {"sub": principal.user_id, "sid": principal.session_id, "usr": principal.username, "role": principal.role,
              "iat": now, "exp": now + timedelta(minutes=minutes), "jti": str(uuid.uuid4())}
    return jwt.encode(claims, secret, algorithm="HS256"), minutes * 60


# Tokens already checked, until they expire: a candidate's page sends the same token with every save, and verifying
# the signature again each time is most of the cost of reading it.
_decoded: ExpiringCache[tuple[str, str], tuple[str, str]] = ExpiringCache(20_000)


def read_token(secret: str, token: str) -> tuple[str, str]:
    """(user id, session id) of a valid access token."""
    hit = _decoded.get((secret, token), time.time())
    if hit is not None:
        return hit
    try:
        claims = jwt.decode(token, secret, algorithms=["HS256"], options={"require": ["sub", "sid", "exp"]})
    except jwt.ExpiredSignatureError:
        raise Problem(401, "token_expired", "the access token has expired; refresh it or log in again") from None
    except jwt.PyJWTError:
        raise Problem(401, "invalid_token", "the access token is not valid") from None
    _decoded.put((secret, token), (str(claims["sub"]), str(claims["sid"])), float(claims["exp"]))
    return str(claims["sub"]), str(claims["sid"])


def new_refresh_secret() -> tuple[str, bytes]:
    """A refresh secret and the hash the server keeps of it."""
    secret = secrets.token_urlsafe(32)
    return secret, refresh_hash(secret)


def refresh_hash(secret: str) -> bytes:
    # a 256-bit random secret needs no slow hash: SHA-256 is enough to make a stolen table useless
    return hashlib.sha256(secret.encode()).digest()


def split_refresh_token(token: str) -> tuple[uuid.UUID, str] | None:
    sid, _, secret = token.partition(".")
    try:
        return uuid.UUID(sid), secret
    except ValueError:
        return None


async def current_principal(request: Request, token: Annotated[str | None, Depends(_bearer)]) -> Principal:
    if not token:
        raise Problem(401, "unauthenticated", "log in first: this needs a bearer token")
    user_id, session_id = read_token(request.app.state.settings.jwt_secret, token)
    try:
        uid, sid = uuid.UUID(user_id), uuid.UUID(session_id)
    except ValueError:
        raise Problem(401, "invalid_token", "the access token is not valid") from None
    # the account and the login session, from memory until either changes (account_cache), else one primary-key
    # lookup: a disabled account or a revoked session stops working at once
    accounts = request.app.state.accounts
    row = accounts.get(uid, sid)
    if row is None:
        generation = accounts.generation
        row = await repository.account_of_token(request.app.state.pool, uid, sid)
        if row is not None:
            accounts.put(uid, sid, row, generation)
    if row is None or row["erased_at"] is not None:
        raise Problem(401, "invalid_token", "the access token is not valid")
    if row["disabled"]:
        raise Problem(401, "account_disabled", "this account has been disabled by an administrator")
    if row["revoked_at"] is not None or row["expires_at"] is None:
        raise Problem(401, "token_revoked", "this login session has ended; log in again")
    principal = Principal(user_id, row["username"], row["role"], row["full_name"], tuple(row["scope_districts"]),
                          tuple(row["scope_regions"]), session_id, row["federal_district"] or "", row["region"] or "",
                          row["organization"] or "")
    # the audit middleware reads it; every gRPC call made for this request carries it, signed
    request.state.principal = principal
    identity.set(Identity(principal.user_id, principal.role, principal.districts, principal.regions))
    return principal


def require(*roles: str):
    """A dependency that lets in only the given roles."""

    # current_principal called, not depended on: FastAPI solves each dependency node on every request (isinstance
    # checks, cache keys), and this one sits on every answer save
    async def _check(request: Request, token: Annotated[str | None, Depends(_bearer)]) -> Principal:
        return await principal_in_role(request, token, roles)

    return _check


async def principal_in_role(request: Request, token: str | None, roles: tuple[str, ...]) -> Principal:
    principal = await current_principal(request, token)
    if principal.role not in roles:
        raise Problem(403, "forbidden", f"this needs the role {' or '.join(roles)}")
    return principal


CurrentUser = Annotated[Principal, Depends(current_principal)]
Admin = Annotated[Principal, Depends(require("admin"))]
Candidate = Annotated[Principal, Depends(require("candidate"))]
Analyst = Annotated[Principal, Depends(require("curator", "admin"))]
Verifier = Annotated[Principal, Depends(require("hr", "admin"))]
