"""The one list of places every part of Gramota agrees on: the 8 federal districts and the 89 federal subjects
(`places.toml`, checked when this module is imported), and matching what people type to them.

A region's code is its OKATO code ("82": Республика Дагестан); a district's code is Gramota's own ("NCFD").
`find_region` / `find_district` accept a code, an ISO 3166-2 code, a full name in Russian or English or an alias
(«СКФО», «Респ. Дагестан», «г. Москва», «ХМАО»), in any case, «ё» and «е» alike; anything else raises
`UnknownPlace` with up to three suggestions. `resolve` checks that a region and a district given together match.
"""
from __future__ import annotations

import difflib
import hashlib
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

DATA_FILE = Path(__file__).with_name("places.toml")


@dataclass(frozen=True)
class District:
    code: str
    short: str                       # «СКФО»
    name_ru: str
    name_en: str
    aliases: tuple[str, ...] = ()

    def name(self, lang: str = "ru") -> str:
        return self.name_en if lang == "en" else self.name_ru


@dataclass(frozen=True)
class Region:
    code: str                        # the OKATO code of the subject
    iso: str                         # ISO 3166-2 ("RU-DA"); "" where ISO lists none (see README)
    district: str                    # its federal district's code
    tile: str                        # the label of its tile on the map, Russian
    tile_en: str                     # ... and English
    name_ru: str
    name_en: str
    col: int                         # its tile on the map grid
    row: int
    aliases: tuple[str, ...] = ()

    def name(self, lang: str = "ru") -> str:
        return self.name_en if lang == "en" else self.name_ru


class UnknownPlace(ValueError):
    """A region or district nobody could recognise; `suggestions` are the closest full names (up to 3)."""

    def __init__(self, kind: str, text: str, suggestions: list[str]) -> None:
        self.kind, self.text, self.suggestions = kind, text, suggestions
        hint = f"; did you mean {', '.join(f'«{s}»' for s in suggestions)}?" if suggestions else ""
        what = "region (federal subject)" if kind == "region" else "federal district"
        super().__init__(f"unknown {what} «{text}»{hint}")

    @property
    def code(self) -> str:
        return f"unknown_{self.kind}"


class PlaceMismatch(ValueError):
    """A region given with a district it does not belong to."""

    code = "region_not_in_district"

    def __init__(self, region: Region, district: District) -> None:
        self.region, self.district = region, district
        super().__init__(f"«{region.name_ru}» is in «{DISTRICT[region.district].name_ru}», "
                         f"not in «{district.name_ru}»")


# --- normalising what people type --------------------------------------------------------------------------------
_ABBREVIATIONS = {"респ": "республика", "обл": "область", "кр": "край", "ао": "автономный округ",
                  "фо": "федеральный округ", "авт": "автономная", "нар": "народная"}
_CITY_PREFIXES = {"г", "город", "гор"}
_DASHES = re.compile(r"\s*[-‐‑‒–—―]\s*")
_NOISE = re.compile(r"[().,;:«»\"'`/]+")


def normalise(text: str) -> str:
    """The form names are compared in: lower case, «ё» as «е», one kind of dash, no dots or brackets, the usual
    abbreviations spelt out, no «г.» before a city."""
    t = text.casefold().replace("ё", "е").replace("\u00a0", " ")
    t = _NOISE.sub(" ", _DASHES.sub(" - ", t))
    words = t.split()
    if len(words) > 1 and words[0] in _CITY_PREFIXES:
        words = words[1:]
    return " ".join(_ABBREVIATIONS.get(w, w) for w in words).replace(" - ", "-").strip("-")


def _bare(name: str) -> list[str]:
    """Short forms of a full name people use on their own: «Ростовская» (область), «Дагестан» (Республика …)."""
    n = normalise(name)
    out = []
    for suffix in (" область", " край", " автономный округ", " республика", " федеральный округ"):
        if n.endswith(suffix) and " " not in n[: -len(suffix)]:
            out.append(n[: -len(suffix)])
    if n.startswith("республика ") and len(n.split()) == 2:
        out.append(n.split()[1])
    return out


# --- the data ----------------------------------------------------------------------------------------------------
def _load(path: Path) -> tuple[str, tuple[District, ...], tuple[Region, ...]]:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    districts = tuple(District(d["code"], d["short"], d["name_ru"], d["name_en"], tuple(d.get("aliases", ())))
                      for d in data["district"])
    cells: dict[str, tuple[int, int]] = {}
    for row, line in enumerate(line for line in data["map"]["grid"].splitlines() if line.strip()):
        for col, label in enumerate(line.split()):
            if label != ".":
                if label in cells:
                    raise ValueError(f"{path.name}: the tile {label} is on the map twice")
                cells[label] = (col, row)
    regions = []
    for r in data["region"]:
        if r["tile"] not in cells:
            raise ValueError(f"{path.name}: {r['name_ru']} has no tile on the map")
        col, row = cells.pop(r["tile"])
        regions.append(Region(r["okato"], r.get("iso", ""), r["district"], r["tile"],
                              r.get("tile_en") or r["iso"].removeprefix("RU-"), r["name_ru"], r["name_en"], col, row,
                              tuple(r.get("aliases", ()))))
    if cells:
        raise ValueError(f"{path.name}: tiles of no region on the map: {', '.join(cells)}")
    return data["version"], districts, tuple(regions)


VERSION, DISTRICTS, REGIONS = _load(DATA_FILE)
DISTRICT: dict[str, District] = {d.code: d for d in DISTRICTS}
REGION: dict[str, Region] = {r.code: r for r in REGIONS}
# the data file's fingerprint: the reference endpoints' ETag
FINGERPRINT = hashlib.sha256(DATA_FILE.read_bytes()).hexdigest()[:16]


def _index(entries: list[tuple[str, object]]) -> dict[str, object]:
    index: dict[str, object] = {}
    for key, place in entries:
        key = normalise(key)
        if not key:
            continue
        if index.setdefault(key, place) is not place:
            raise ValueError(f"{DATA_FILE.name}: «{key}» would name two places")
    return index


_DISTRICT_KEYS = _index([(k, d) for d in DISTRICTS for k in (
    d.code, d.short, d.name_ru, d.name_en, d.name_en.removesuffix(" Federal District"), *d.aliases, *_bare(d.name_ru))])
_REGION_KEYS = _index([(k, r) for r in REGIONS for k in (
    r.code, r.iso, r.name_ru, r.name_en, *r.aliases, *_bare(r.name_ru), *(a for x in r.aliases for a in _bare(x)))])


def _check() -> None:
    if len(DISTRICTS) != 8 or len(DISTRICT) != 8:
        raise ValueError(f"{DATA_FILE.name}: {len(DISTRICTS)} federal districts, expected 8")
    if len(REGIONS) != 89 or len(REGION) != 89:
        raise ValueError(f"{DATA_FILE.name}: {len(REGIONS)} federal subjects, expected 89 (Constitution, art. 65)")
    for r in REGIONS:
        if r.district not in DISTRICT:
            raise ValueError(f"{DATA_FILE.name}: {r.name_ru} is in an unknown district {r.district}")


_check()


def regions_of(district_code: str) -> list[Region]:
    return [r for r in REGIONS if r.district == district_code]


def _suggest(text: str, keys: dict[str, object], names) -> list[str]:
    close = difflib.get_close_matches(normalise(text), list(keys), n=12, cutoff=0.6)
    out: list[str] = []
    for key in close:
        name = names(keys[key])
        if name not in out:
            out.append(name)
    return out[:3]


def find_region(text: str) -> Region:
    """The region `text` names (code, ISO code, name or alias); UnknownPlace otherwise."""
    found = _REGION_KEYS.get(normalise(text))
    if found is None:
        raise UnknownPlace("region", text, _suggest(text, _REGION_KEYS, lambda r: r.name_ru))
    return found  # type: ignore[return-value]


def find_district(text: str) -> District:
    found = _DISTRICT_KEYS.get(normalise(text))
    if found is None:
        raise UnknownPlace("district", text, _suggest(text, _DISTRICT_KEYS, lambda d: d.name_ru))
    return found  # type: ignore[return-value]


@dataclass(frozen=True)
class Place:
    """Where someone works, as codes: a district, and within it a region (either may be unknown: "")."""

    district: str = ""
    region: str = ""

    @property
    def district_name(self) -> str:
        return DISTRICT[self.district].name_ru if self.district else ""

    @property
    def region_name(self) -> str:
        return REGION[self.region].name_ru if self.region else ""


def resolve(district_text: str | None, region_text: str | None) -> Place:
    """The place a district and a region as typed name; either may be blank. A region fills in its district; a
    region and a district that do not match raise PlaceMismatch; an unrecognised one raises UnknownPlace."""
    district = find_district(district_text) if district_text and district_text.strip() else None
    region = find_region(region_text) if region_text and region_text.strip() else None
    if region is not None and district is not None and region.district != district.code:
        raise PlaceMismatch(region, district)
    return Place(district.code if district else (region.district if region else ""), region.code if region else "")


@dataclass
class Mapping:
    """What a stored free-text place maps to, for migrations: the place, or why it could not be mapped."""

    place: Place = field(default_factory=Place)
    problem: str = ""


def map_stored(district_text: str, region_text: str) -> Mapping:
    """Map a place stored as free text before places had codes. Never raises: an unmappable one says why."""
    try:
        return Mapping(resolve(district_text, region_text))
    except (UnknownPlace, PlaceMismatch) as exc:
        return Mapping(problem=str(exc))
