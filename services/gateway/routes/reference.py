"""What the system knows of places: the federal districts and the federal subjects (public, cacheable). The data is
`gramota.shared.places`; the answer changes only when the data file does, so its fingerprint is the ETag."""
from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response
from pydantic import BaseModel, Field

from gramota.shared import places

from ..languages import request_language

router = APIRouter(prefix="/api/v1/reference", tags=["reference"])

CACHE_CONTROL = "public, max-age=3600"


class DistrictOut(BaseModel):
    code: str = Field(description="Gramota's code of the district, e.g. NCFD")
    short: str = Field(description="the usual abbreviation, e.g. СКФО")
    name: str = Field(description="in the language asked for")
    name_ru: str
    name_en: str
    regions: list[str] = Field(description="codes of its federal subjects")


class RegionOut(BaseModel):
    code: str = Field(description="OKATO code of the federal subject (the code Gramota keys places by)")
    okato: str
    iso: str | None = Field(description="ISO 3166-2 code; null where ISO 3166-2 lists none")
    name: str = Field(description="in the language asked for")
    name_ru: str
    name_en: str
    district: str = Field(description="its federal district's code")
    aliases: list[str] = Field(description="other spellings the system accepts (besides case, «ё», abbreviations)")
    tile: str = Field(description="the short label of its tile on the map, in the language asked for")
    col: int = Field(description="the tile's column on the map grid (west to east)")
    row: int = Field(description="the tile's row on the map grid (north to south)")


def _cached(request: Request, response: Response, lang: str) -> bool:
    """Sets the caching headers; True when the client's copy is current (answer 304)."""
    etag = f'"{places.FINGERPRINT}-{lang}"'
    response.headers["ETag"] = etag
    response.headers["Cache-Control"] = CACHE_CONTROL
    response.headers["Vary"] = "Accept-Language"
    return etag in [t.strip() for t in request.headers.get("if-none-match", "").split(",")]


def _not_modified(response: Response) -> Response:
    return Response(status_code=304, headers={k: response.headers[k] for k in ("ETag", "Cache-Control", "Vary")})


Lang = Annotated[str | None, Query(description="ru (default) or en; else Accept-Language")]


@router.get("/districts", response_model=list[DistrictOut], responses={304: {"description": "not modified"}})
async def districts(request: Request, response: Response, lang: Lang = None):
    """The 8 federal districts."""
    lang = request_language(request, lang)
    if _cached(request, response, lang):
        return _not_modified(response)
    return [DistrictOut(code=d.code, short=d.short, name=d.name(lang), name_ru=d.name_ru, name_en=d.name_en,
                        regions=[r.code for r in places.regions_of(d.code)]) for d in places.DISTRICTS]


@router.get("/regions", response_model=list[RegionOut], responses={304: {"description": "not modified"}})
async def regions(request: Request, response: Response, lang: Lang = None,
                  district: Annotated[str | None, Query(description="only this district's (a code)")] = None):
    """The 89 federal subjects (Constitution, art. 65), each with its district and its tile on the map."""
    lang = request_language(request, lang)
    if _cached(request, response, lang):
        return _not_modified(response)
    return [RegionOut(code=r.code, okato=r.code, iso=r.iso or None, name=r.name(lang), name_ru=r.name_ru,
                      name_en=r.name_en, district=r.district, aliases=list(r.aliases),
                      tile=r.tile_en if lang == "en" else r.tile, col=r.col, row=r.row)
            for r in places.REGIONS if district is None or r.district == district]
