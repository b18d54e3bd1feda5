"""The one list of places: 8 districts, 89 subjects, every spelling people use resolving to its subject, and
anything else refused with suggestions."""
from __future__ import annotations

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from gramota.gateway.routes import reference
from gramota.shared import places


def test_eight_districts_and_eighty_nine_subjects_each_in_exactly_one_district():
    assert len(places.DISTRICTS) == 8 and len({d.code for d in places.DISTRICTS}) == 8
    assert len(places.REGIONS) == 89 and len({r.code for r in places.REGIONS}) == 89
    per_district = {d.code: places.regions_of(d.code) for d in places.DISTRICTS}
    assert sum(len(v) for v in per_district.values()) == 89
    assert {d: len(v) for d, v in per_district.items()} == {
        "CFD": 18, "NWFD": 11, "SFD": 12, "NCFD": 7, "VFD": 14, "UFD": 6, "SIBFD": 10, "FEFD": 11}
    assert len({r.name_ru for r in places.REGIONS}) == 89 and len({r.name_en for r in places.REGIONS}) == 89


def test_iso_codes_exist_for_the_83_subjects_iso_lists_and_only_those():
    without = {r.name_ru for r in places.REGIONS if not r.iso}
    assert without == {"Республика Крым", "г. Севастополь", "Донецкая Народная Республика",
                       "Луганская Народная Республика", "Запорожская область", "Херсонская область"}
    assert all(r.iso.startswith("RU-") for r in places.REGIONS if r.iso)
    assert len({r.iso for r in places.REGIONS if r.iso}) == 83


@pytest.mark.parametrize("region", places.REGIONS, ids=lambda r: r.code)
def test_every_code_name_and_alias_of_a_subject_resolves_to_it(region):
    spellings = [region.code, region.name_ru, region.name_en, *region.aliases] + ([region.iso] if region.iso else [])
    for text in spellings:
        for variant in (text, text.upper(), text.lower(), f"  {text} ", text.replace("е", "ё")):
            assert places.find_region(variant) == region, variant


@pytest.mark.parametrize("district", places.DISTRICTS, ids=lambda d: d.code)
def test_every_code_name_and_alias_of_a_district_resolves_to_it(district):
    for text in (district.code, district.short, district.name_ru, district.name_en, *district.aliases):
        assert places.find_district(text) == district
        assert places.find_district(text.lower()) == district


@pytest.mark.parametrize(("typed", "name"), [
    ("Дагестан", "Республика Дагестан"), ("Респ. Дагестан", "Республика Дагестан"),
    ("республика дагестан", "Республика Дагестан"), ("г. Москва", "г. Москва"), ("Москва", "г. Москва"),
    ("ХМАО", "Ханты-Мансийский автономный округ — Югра"), ("Югра", "Ханты-Мансийский автономный округ — Югра"),
    ("Ханты-Мансийский АО - Югра", "Ханты-Мансийский автономный округ — Югра"),
    ("Якутия", "Республика Саха (Якутия)"), ("Республика Саха", "Республика Саха (Якутия)"),
    ("Чувашия", "Чувашская Республика — Чувашия"), ("Кузбасс", "Кемеровская область — Кузбасс"),
    ("Кемеровская обл.", "Кемеровская область — Кузбасс"), ("Ростовская обл", "Ростовская область"),
    ("Ставропольский кр.", "Ставропольский край"), ("Северная Осетия - Алания", "Республика Северная Осетия — Алания"),
    ("Чечня", "Чеченская Республика"), ("КБР", "Кабардино-Балкарская Республика"), ("г.Севастополь", "г. Севастополь"),
    ("Санкт-Петербург", "г. Санкт-Петербург"), ("СПб", "г. Санкт-Петербург"), ("Пермская область", "Пермский край"),
    ("Читинская область", "Забайкальский край"), ("Тыва", "Республика Тыва"), ("Тува", "Республика Тыва"),
    ("Алтай", "Республика Алтай"), ("Алтайский край", "Алтайский край"), ("Марий Эл", "Республика Марий Эл"),
    ("ДНР", "Донецкая Народная Республика"), ("Ненецкий АО", "Ненецкий автономный округ"), ("RU-DA", "Республика Дагестан"),
    ("82", "Республика Дагестан"), ("Башкирия", "Республика Башкортостан"), ("Татарстан", "Республика Татарстан (Татарстан)"),
])
def test_what_people_type_resolves_to_the_subject(typed, name):
    assert places.find_region(typed).name_ru == name


@pytest.mark.parametrize("typed", ["СКФО", "скфо", "Северо-Кавказский", "Северо-Кавказский ФО", "NCFD",
                                   "Северо-Кавказский федеральный округ", "North Caucasian Federal District"])
def test_what_people_type_resolves_to_the_district(typed):
    assert places.find_district(typed).code == "NCFD"


def test_an_unknown_region_is_refused_with_up_to_three_suggestions():
    with pytest.raises(places.UnknownPlace) as caught:
        places.find_region("Дагестн")
    assert caught.value.code == "unknown_region"
    assert caught.value.suggestions[0] == "Республика Дагестан" and len(caught.value.suggestions) <= 3
    with pytest.raises(places.UnknownPlace) as caught:
        places.find_region("Бетельгейзе-7")
    assert caught.value.suggestions == []
    with pytest.raises(places.UnknownPlace) as caught:
        places.find_district("Северо-Кавказкий")
    assert caught.value.code == "unknown_district" and caught.value.suggestions == ["Северо-Кавказский федеральный округ"]


def test_a_region_and_a_district_that_do_not_match_are_refused():
    with pytest.raises(places.PlaceMismatch) as caught:
        places.resolve("ЦФО", "Дагестан")
    assert caught.value.code == "region_not_in_district"
    assert places.resolve("СКФО", "Респ. Дагестан") == places.Place("NCFD", "82")
    assert places.resolve("", "Дагестан") == places.Place("NCFD", "82")  # the region fills in its district
    assert places.resolve("Южный", None) == places.Place("SFD", "")
    assert places.resolve(None, " ") == places.Place()


def test_the_map_has_one_tile_per_subject_and_each_districts_tiles_touch():
    cells = {(r.col, r.row): r for r in places.REGIONS}
    assert len(cells) == 89
    for d in places.DISTRICTS:
        tiles = {(r.col, r.row) for r in places.regions_of(d.code) if r.name_ru != "Калининградская область"}
        seen, todo = set(), [next(iter(tiles))]
        while todo:
            c, r = todo.pop()
            if (c, r) in seen:
                continue
            seen.add((c, r))
            todo += [n for n in ((c + 1, r), (c - 1, r), (c, r + 1), (c, r - 1)) if n in tiles]
        assert seen == tiles, f"{d.short}: tiles apart from the rest: {tiles - seen}"


def test_the_reference_endpoints_list_the_places_and_answer_not_modified_to_a_current_copy():
    app = FastAPI()
    app.include_router(reference.router)
    client = TestClient(app)
    r = client.get("/api/v1/reference/regions")
    assert r.status_code == 200 and len(r.json()) == 89
    dagestan = next(x for x in r.json() if x["code"] == "82")
    assert dagestan["name"] == "Республика Дагестан" and dagestan["district"] == "NCFD" and dagestan["iso"] == "RU-DA"
    assert "public" in r.headers["cache-control"] and r.headers["etag"]
    again = client.get("/api/v1/reference/regions", headers={"If-None-Match": r.headers["etag"]})
    assert again.status_code == 304 and again.content == b""
    english = client.get("/api/v1/reference/regions", params={"lang": "en", "district": "NCFD"})
    assert len(english.json()) == 7 and english.headers["etag"] != r.headers["etag"]
    assert {x["name"] for x in english.json()} >= {"Republic of Dagestan", "Chechen Republic"}
    districts = client.get("/api/v1/reference/districts", headers={"Accept-Language": "en"}).json()
    assert len(districts) == 8 and sum(len(d["regions"]) for d in districts) == 89
    assert next(d for d in districts if d["code"] == "NCFD")["name"] == "North Caucasian Federal District"
