"""Accounts and tokens: login, refresh, logout; users (admin), bulk import, the admin audit."""
from __future__ import annotations

import secrets
import uuid
from datetime import UTC, datetime, timedelta
from typing import Annotated, Literal

import asyncpg
from fastapi import APIRouter, Body, Depends, Query, Request, Response
from fastapi.security import OAuth2PasswordRequestForm
from pydantic import BaseModel, Field

from .. import ratelimit, repository, roster
from ..auth import Admin, CurrentUser, Principal, issue_token, new_refresh_secret, refresh_hash, split_refresh_token
from ..passwords import DUMMY_HASH, hash_password_off_loop, needs_rehash, verify_password_off_loop
from ..problems import Problem
from .common import rfc3339

router = APIRouter(prefix="/api/v1")

Role = Literal["candidate", "hr", "curator", "admin"]
Email = Annotated[str, Field(pattern=roster.EMAIL.pattern, max_length=320)]


# --- tokens --------------------------------------------------------------------------------------
class Token(BaseModel):
    access_token: str
    token_type: Literal["bearer"] = "bearer"
    expires_in: int = Field(description="seconds the access token is valid")
    refresh_token: str = Field(description="single use: each refresh returns a new one; a reused one ends the login")
    refresh_expires_in: int
    role: str


class RefreshIn(BaseModel):
    refresh_token: str = Field(min_length=1, max_length=200)


def _tokens(request: Request, user, session_id: uuid.UUID, refresh_secret: str) -> Token:
    settings = request.app.state.settings
    principal = Principal(str(user["id"]), user["username"], user["role"], user["full_name"],
                          session_id=str(session_id))
    access, ttl = issue_token(settings.jwt_secret, principal, settings.access_token_minutes)
    return Token(access_token=access, expires_in=ttl, refresh_token=f"{session_id}.{refresh_secret}",
                 refresh_expires_in=settings.refresh_token_days * 86400, role=user["role"])


def _locked(request: Request, until: datetime) -> Problem:
    seconds = max(1, int((until - datetime.now(UTC)).total_seconds()) + 1)
    request.state.retry_after = seconds
    return Problem(423, "account_locked",
                   f"too many wrong passwords: the account is locked until {until.isoformat(timespec='seconds')} "
                   f"(in {(seconds + 59) // 60} min), or until an administrator unlocks it",
                   locked_until=until.isoformat(), retry_after=seconds)


@router.post("/auth/token", response_model=Token, tags=["auth"])
async def login(request: Request, form: Annotated[OAuth2PasswordRequestForm, Depends()]) -> Token:
    settings = request.app.state.settings
    username = form.username.strip().lower()
    # Only failed logins count (per address and per account): a hall of officials behind one address logs in at
    # once and none of them is refused because the others got in; guessing from an address is still stopped.
    address = ratelimit.client_address(request)
    await ratelimit.check_failures(request, "login_address", address)
    await ratelimit.check_failures(request, "login_account", username)
    pool = request.app.state.pool
    row = await repository.find_by_username(pool, username)
    if row is not None and row["locked_until"] is not None and row["locked_until"] > datetime.now(UTC):
        raise _locked(request, row["locked_until"])
    ok = await verify_password_off_loop(row["password_hash"] if row else DUMMY_HASH, form.password)
    if row is None or not ok:
        await ratelimit.failed(request, ("login_address", address), ("login_account", username))
        if row is not None:
            until = await repository.record_failure(pool, row["id"], max_failures=settings.lockout_failures,
                                               lock_for=timedelta(minutes=settings.lockout_minutes))
            if until is not None:
                raise _locked(request, until)
        raise Problem(401, "invalid_credentials", "wrong username or password")
    if row["disabled"]:
        raise Problem(403, "account_disabled", "this account has been disabled; ask an administrator")
    # a hash made at an older cost is made again from the password just verified
    new_hash = await hash_password_off_loop(form.password) if needs_rehash(row["password_hash"]) else None
    await repository.record_success(pool, row["id"], new_hash)
    secret, digest = new_refresh_secret()
    sid = await repository.open_session(pool, row["id"], digest, timedelta(days=settings.refresh_token_days))
    return _tokens(request, row, sid, secret)


@router.post("/auth/refresh", response_model=Token, tags=["auth"])
async def refresh(request: Request, body: RefreshIn) -> Token:
    """A new access token and a new refresh token for a refresh token (which is then used up)."""
    address = ratelimit.client_address(request)
    await ratelimit.check_failures(request, "login_address", address)  # failed refreshes count, as failed logins
    parts = split_refresh_token(body.refresh_token)
    if parts is None:
        await ratelimit.failed(request, ("login_address", address))
        raise Problem(401, "invalid_refresh_token", "the refresh token is not valid; log in again")
    sid, presented = parts
    secret, digest = new_refresh_secret()
    settings = request.app.state.settings
    outcome, user = await repository.rotate_refresh(request.app.state.pool, sid, refresh_hash(presented), digest,
                                               timedelta(days=settings.refresh_token_days))
    if outcome != "ok":
        await ratelimit.failed(request, ("login_address", address))
        request.app.state.accounts.forget_session(sid)  # a reused token ends the login: at once, here too
        detail = {"reused": "this refresh token was already used: the login has been ended for safety; log in again",
                  "expired": "the refresh token has expired; log in again"}.get(
            outcome, "the refresh token is not valid; log in again")
        raise Problem(401, "refresh_token_reused" if outcome == "reused" else "invalid_refresh_token", detail)
    return _tokens(request, user, sid, secret)


@router.post("/auth/logout", status_code=204, response_class=Response, tags=["auth"])
async def logout(request: Request, principal: CurrentUser) -> Response:
    """Ends this login: its access and refresh tokens stop working at once."""
    async with request.app.state.pool.acquire() as conn:
        await repository.revoke_session(conn, uuid.UUID(principal.session_id), "logout")
    request.app.state.accounts.forget_session(principal.session_id)
    return Response(status_code=204)


@router.post("/auth/revoke", status_code=204, response_class=Response, tags=["auth"])
async def revoke(request: Request, body: RefreshIn) -> Response:
    """Revokes a refresh token (and its login). Answers 204 whether or not the token was valid (RFC 7009)."""
    parts = split_refresh_token(body.refresh_token)
    if parts is not None:
        async with request.app.state.pool.acquire() as conn:
            await repository.revoke_session(conn, parts[0], "revoked", refresh_hash(parts[1]))
        request.app.state.accounts.forget_session(parts[0])
    return Response(status_code=204)


# --- users ---------------------------------------------------------------------------------------
class UserIn(BaseModel):
    username: str = Field(pattern=r"^[a-z0-9][a-z0-9._-]{1,63}$", description="lower-case login, 2-64 characters")
    password: str = Field(min_length=8, max_length=256)
    full_name: str = Field(min_length=1, max_length=200)
    role: Role
    email: Email | None = None
    federal_district: str = Field("", max_length=200)
    region: str = Field("", max_length=200)
    organization: str = Field("", max_length=300)
    scope_districts: list[Annotated[str, Field(max_length=200)]] = Field(
        [], max_length=20, description="curators: federal districts they analyse")
    scope_regions: list[Annotated[str, Field(max_length=200)]] = Field(
        [], max_length=100, description="curators: regions they analyse")


class UserPatch(BaseModel):
    """Only the fields given change. `disabled: true` ends every login of the user at once."""

    full_name: str | None = Field(None, min_length=1, max_length=200)
    email: Email | None = None
    role: Role | None = None
    federal_district: str | None = Field(None, max_length=200)
    region: str | None = Field(None, max_length=200)
    organization: str | None = Field(None, max_length=300)
    scope_districts: list[Annotated[str, Field(max_length=200)]] | None = Field(None, max_length=20)
    scope_regions: list[Annotated[str, Field(max_length=200)]] | None = Field(None, max_length=100)
    disabled: bool | None = None
    password: str | None = Field(None, min_length=8, max_length=256, description="set a new password (and unlock)")


class UserOut(BaseModel):
    id: str
    username: str
    full_name: str
    role: str
    email: str | None = None
    federal_district: str
    region: str
    organization: str
    scope_districts: list[str] = []
    scope_regions: list[str] = []
    disabled: bool = False
    locked_until: str | None = None


def _user_out(row) -> UserOut:
    return UserOut(id=str(row["id"]), username=row["username"], full_name=row["full_name"], role=row["role"],
                   email=row["email"], federal_district=row["federal_district"], region=row["region"],
                   organization=row["organization"], scope_districts=list(row["scope_districts"]),
                   scope_regions=list(row["scope_regions"]), disabled=row["disabled"],
                   locked_until=rfc3339(row["locked_until"]) if row["locked_until"] and
                   row["locked_until"] > datetime.now(UTC) else None)


def user_not_found(user_id: str) -> Problem:
    return Problem(404, "user_not_found", f"no user {user_id}")


@router.post("/users", status_code=201, response_model=UserOut, tags=["users"])
async def create_user(request: Request, body: UserIn, admin: Admin) -> UserOut:
    row = await repository.create_user(request.app.state.pool, **body.model_dump())
    if row is None:
        raise Problem(409, "username_taken", f"the username {body.username!r} (or the e-mail) is already taken")
    return _user_out(row)


@router.get("/users", response_model=list[UserOut], tags=["users"])
async def list_users(request: Request, admin: Admin, role: Role | None = None,
                     q: Annotated[str | None, Query(max_length=100, description="part of a login or name")] = None,
                     limit: Annotated[int, Query(ge=1, le=500)] = 100,
                     offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0) -> list[UserOut]:
    rows = await repository.list_users(request.app.state.pool, role=role, search=q, limit=limit, offset=offset)
    return [_user_out(r) for r in rows]


@router.get("/users/{user_id}", response_model=UserOut, tags=["users"])
async def get_user(request: Request, admin: Admin, user_id: str) -> UserOut:
    row = await repository.get_user(request.app.state.pool, user_id)
    if row is None:
        raise user_not_found(user_id)
    return _user_out(row)


@router.patch("/users/{user_id}", response_model=UserOut, tags=["users"])
async def update_user(request: Request, admin: Admin, user_id: str, body: UserPatch) -> UserOut:
    """Change a profile, a role, a curator's scope; disable or re-enable; set a password."""
    uid = repository.parse_id(user_id)
    if uid is None:
        raise user_not_found(user_id)
    changes = body.model_dump(exclude_unset=True, exclude={"password"})
    if None in (changes.get(k, "") for k in ("full_name", "role", "disabled", "federal_district", "region",
                                               "organization", "scope_districts", "scope_regions")):
        raise Problem(422, "validation_error", "only email may be set to null")
    if user_id == admin.user_id and (changes.get("disabled") or changes.get("role", "admin") != "admin"):
        raise Problem(409, "cannot_demote_self", "an administrator cannot disable or demote their own account")
    if not changes and not body.password:
        raise Problem(422, "validation_error", "nothing to change")
    try:
        row = await repository.update_user(request.app.state.pool, uid, changes, body.password)
    except asyncpg.UniqueViolationError:  # the e-mail index
        raise Problem(409, "email_taken", "this e-mail belongs to another account") from None
    finally:
        request.app.state.accounts.forget_user(uid)  # a disabled user or a new role applies at once
    if row is None:
        raise user_not_found(user_id)
    return _user_out(row)


class ImportRowError(BaseModel):
    line: int = Field(description="line of the file (the header is line 1)")
    login: str
    reason: str


class ImportedUser(BaseModel):
    line: int
    id: str
    username: str
    has_password: bool


class UsersImportOut(BaseModel):
    created: int
    dry_run: bool
    users: list[ImportedUser]
    errors: list[ImportRowError]


def _initial_password() -> str:
    # letters and digits only: nothing a spreadsheet or a phone dictation could mangle (~95 bits)
    return "".join(secrets.choice(_PASSWORD_ALPHABET) for _ in range(16))


_PASSWORD_ALPHABET = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"


async def import_officials(pool, text: str, *, dry_run: bool, on_progress=None,
                           generated_passwords: dict[str, str] | None = None) -> UsersImportOut:
    """Check every row, then create the valid ones; a row that cannot be created is reported, never fatal.
    With `generated_passwords` (the command line), rows without a password get a random one, put in that dict."""
    result = roster.read(text)
    errors = [ImportRowError(line=e.line, login=e.login, reason=e.reason) for e in result.errors]
    taken_logins, taken_emails = await repository.existing_logins_and_emails(
        pool, [o.username for o in result.officials], [o.email for o in result.officials if o.email])
    created: list[ImportedUser] = []
    todo = []
    for o in result.officials:
        if o.username in taken_logins:
            errors.append(ImportRowError(line=o.line, login=o.username, reason=f"login {o.username!r} already exists"))
        elif o.email and o.email.lower() in taken_emails:
            errors.append(ImportRowError(line=o.line, login=o.username, reason=f"email {o.email!r} belongs to another account"))
        else:
            todo.append(o)
    for done, o in enumerate(todo, start=1):
        if generated_passwords is not None and not o.password:
            o.password = generated_passwords[o.username] = _initial_password()
        if not dry_run:
            row = await repository.create_user(pool, username=o.username, password=o.password, full_name=o.full_name,
                                          role=o.role, email=o.email, federal_district=o.federal_district,
                                          region=o.region, organization=o.organization)
            if row is None:  # created meanwhile by someone else
                errors.append(ImportRowError(line=o.line, login=o.username, reason="login or email already exists"))
                continue
            created.append(ImportedUser(line=o.line, id=str(row["id"]), username=o.username, has_password=bool(o.password)))
        else:
            created.append(ImportedUser(line=o.line, id="", username=o.username, has_password=bool(o.password)))
        if on_progress is not None:
            on_progress(done, len(todo))
    errors.sort(key=lambda e: e.line)
    return UsersImportOut(created=0 if dry_run else len(created), dry_run=dry_run, users=created, errors=errors)


@router.post("/users/import", response_model=UsersImportOut, tags=["users"])
async def import_users(
    request: Request, admin: Admin,
    content: Annotated[bytes, Body(media_type="text/csv",
                                   description="CSV: name, login, email, role, federal district, region, organisation "
                                               "[, password]; UTF-8 or Windows-1251; ',' or ';'")],
    dry_run: Annotated[bool, Query(description="check every row, create nothing")] = False,
) -> UsersImportOut:
    """Bulk import of officials, with a per-row error report. Rows without a password get an account that cannot
    log in until an administrator sets one (PATCH /users/{id})."""
    return await import_officials(request.app.state.pool, roster.decode(content), dry_run=dry_run)


# --- me and the audit ----------------------------------------------------------------------------
@router.get("/me", response_model=UserOut, tags=["users"])
async def me(request: Request, principal: CurrentUser) -> UserOut:
    row = await repository.get_user(request.app.state.pool, principal.user_id)
    if row is None:
        raise Problem(401, "unauthenticated", "the account no longer exists")
    return _user_out(row)


class AuditEntryOut(BaseModel):
    id: int
    at: str
    admin_id: str
    admin_login: str
    method: str
    path: str
    status: int
    target_user: str | None
    address: str


@router.get("/admin/audit", response_model=list[AuditEntryOut], tags=["users"])
async def admin_audit(request: Request, admin: Admin, limit: Annotated[int, Query(ge=1, le=500)] = 100,
                      offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0) -> list[AuditEntryOut]:
    """Every mutating request made by an administrator, newest first."""
    rows = await repository.audit_entries(request.app.state.pool, limit, offset)
    return [AuditEntryOut(id=r["id"], at=rfc3339(r["at"]), admin_id=str(r["admin_id"]), admin_login=r["admin_login"],
                          method=r["method"], path=r["path"], status=r["status"],
                          target_user=str(r["target_user"]) if r["target_user"] else None, address=r["address"])
            for r in rows]
