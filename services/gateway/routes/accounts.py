"""Accounts and tokens: login, users."""
from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Request
from fastapi.security import OAuth2PasswordRequestForm
from pydantic import BaseModel, Field

from .. import users
from ..auth import DUMMY_HASH, Admin, CurrentUser, Principal, issue_token, verify_password
from ..problems import Problem

router = APIRouter(prefix="/api/v1")


# --- auth and users ------------------------------------------------------------------------------
class Token(BaseModel):
    access_token: str
    token_type: Literal["bearer"] = "bearer"
    expires_in: int
    role: str


@router.post("/auth/token", response_model=Token, tags=["auth"])
async def login(request: Request, form: Annotated[OAuth2PasswordRequestForm, Depends()]) -> Token:
    pool = request.app.state.pool
    row = await users.find_by_username(pool, form.username)
    ok = verify_password(row["password_hash"] if row else DUMMY_HASH, form.password)
    if row is None or not ok or row["disabled"]:
        raise Problem(401, "invalid_credentials", "wrong username or password")
    principal = Principal(str(row["id"]), row["username"], row["role"], row["full_name"],
                          tuple(row["scope_districts"]), tuple(row["scope_regions"]))
    settings = request.app.state.settings
    token, ttl = issue_token(settings.jwt_secret, principal, settings.access_token_minutes)
    return Token(access_token=token, expires_in=ttl, role=row["role"])


class UserIn(BaseModel):
    username: str = Field(pattern=r"^[a-z0-9][a-z0-9._-]{1,63}$", description="lower-case login, 2-64 characters")
    password: str = Field(min_length=8, max_length=256)
    full_name: str = Field(min_length=1, max_length=200)
    role: Literal["candidate", "hr", "curator", "admin"]
    federal_district: str = Field("", max_length=200)
    region: str = Field("", max_length=200)
    organization: str = Field("", max_length=300)
    scope_districts: list[str] = Field([], max_length=20, description="curators: federal districts they analyse")
    scope_regions: list[str] = Field([], max_length=100, description="curators: regions they analyse")


class UserOut(BaseModel):
    id: str
    username: str
    full_name: str
    role: str
    federal_district: str
    region: str
    organization: str
    scope_districts: list[str] = []
    scope_regions: list[str] = []


def _user_out(row) -> UserOut:
    return UserOut(id=str(row["id"]), username=row["username"], full_name=row["full_name"], role=row["role"],
                   federal_district=row["federal_district"], region=row["region"], organization=row["organization"],
                   scope_districts=list(row["scope_districts"]), scope_regions=list(row["scope_regions"]))


@router.post("/users", status_code=201, response_model=UserOut, tags=["users"])
async def create_user(request: Request, body: UserIn, admin: Admin) -> UserOut:
    row = await users.create_user(request.app.state.pool, **body.model_dump())
    if row is None:
        raise Problem(409, "username_taken", f"the username {body.username!r} is already taken")
    return _user_out(row)


@router.get("/me", response_model=UserOut, tags=["users"])
async def me(request: Request, principal: CurrentUser) -> UserOut:
    row = await users.get_user(request.app.state.pool, principal.user_id)
    if row is None:
        raise Problem(401, "unauthenticated", "the account no longer exists")
    return _user_out(row)
