"""Accounts and bearer tokens: Argon2 password hashes, short-lived signed access tokens, role checks."""
from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Annotated

import jwt
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerifyMismatchError
from fastapi import Depends, Request
from fastapi.security import OAuth2PasswordBearer

from .problems import Problem

ROLES = ("candidate", "hr", "curator", "admin")
_hasher = PasswordHasher()
_bearer = OAuth2PasswordBearer(tokenUrl="/api/v1/auth/token", auto_error=False)


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(stored_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(stored_hash, password)
    except (VerifyMismatchError, InvalidHashError):
        return False


# a hash to verify against when the user does not exist, so timing does not reveal which usernames exist
DUMMY_HASH = hash_password(str(uuid.uuid4()))


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

    @property
    def scope(self) -> Scope:
        return Scope(self.role == "admin", self.districts, self.regions)


def issue_token(secret: str, principal: Principal, minutes: int) -> tuple[str, int]:
    now = datetime.now(UTC)
    claims = {"sub": principal.user_id, "usr": principal.username, "role": principal.role, "name": principal.full_name,
              "fd": list(principal.districts), "rg": list(principal.regions),
              "iat": now, "exp": now + timedelta(minutes=minutes), "jti": str(uuid.uuid4())}
    return jwt.encode(claims, secret, algorithm="HS256"), minutes * 60


def read_token(secret: str, token: str) -> Principal:
    try:
        claims = jwt.decode(token, secret, algorithms=["HS256"], options={"require": ["sub", "role", "exp"]})
    except jwt.ExpiredSignatureError:
        raise Problem(401, "token_expired", "the access token has expired; log in again") from None
    except jwt.PyJWTError:
        raise Problem(401, "invalid_token", "the access token is not valid") from None
    if claims.get("role") not in ROLES:
        raise Problem(401, "invalid_token", "the access token is not valid")
    return Principal(claims["sub"], claims.get("usr", ""), claims["role"], claims.get("name", ""),
                     tuple(claims.get("fd", ())), tuple(claims.get("rg", ())))


async def current_principal(request: Request, token: Annotated[str | None, Depends(_bearer)]) -> Principal:
    if not token:
        raise Problem(401, "unauthenticated", "log in first: this needs a bearer token")
    return read_token(request.app.state.settings.jwt_secret, token)


def require(*roles: str):
    """A dependency that lets in only the given roles."""

    async def _check(principal: Annotated[Principal, Depends(current_principal)]) -> Principal:
        if principal.role not in roles:
            raise Problem(403, "forbidden", f"this needs the role {' or '.join(roles)}")
        return principal

    return _check


CurrentUser = Annotated[Principal, Depends(current_principal)]
Admin = Annotated[Principal, Depends(require("admin"))]
Candidate = Annotated[Principal, Depends(require("candidate"))]
Analyst = Annotated[Principal, Depends(require("curator", "admin"))]
