"""What an erased candidate is still known by: the id, the federal district and the region, nothing else."""
from __future__ import annotations

from gramota.contracts.events.v1 import events_pb2
from gramota.shared.personal_data import ERASED_FIELDS, anonymised, anonymised_snapshot

OFFICIAL = events_pb2.Candidate(user_id="u-1", full_name="Ахмедов Ислам", federal_district="СКФО",
                                region="Республика Дагестан", organization="Администрация г. Дербента")


def test_an_erased_candidate_keeps_the_id_district_and_region_and_is_marked_erased():
    assert anonymised(OFFICIAL) == events_pb2.Candidate(user_id="u-1", federal_district="СКФО",
                                                        region="Республика Дагестан", erased=True)


def test_every_field_of_a_candidate_is_either_kept_or_erased_on_purpose():
    # a new field on Candidate must be decided here: kept as a statistical attribute, or erased
    kept = {"user_id", "federal_district", "region", "erased"}
    assert {f.name for f in events_pb2.Candidate.DESCRIPTOR.fields} == kept | set(ERASED_FIELDS)


def test_a_stored_snapshot_is_blanked_the_same_way():
    snapshot = {"full_name": "Ахмедов Ислам", "federal_district": "СКФО", "region": "Республика Дагестан",
                "organization": "Администрация г. Дербента"}
    assert anonymised_snapshot(snapshot) == {"full_name": "", "federal_district": "СКФО",
                                             "region": "Республика Дагестан", "organization": "", "erased": True}
