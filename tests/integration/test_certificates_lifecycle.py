"""The certificates service in-process against real PostgreSQL: issuing, signatures, lifecycle, PDF and bulk checks."""
from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
import uuid
from datetime import UTC, datetime

import pytest

from gramota.certificates import serials, signing
from gramota.certificates.issuing import CertificateIssuing, Issuer
from gramota.certificates.keys import KeyRing
from gramota.certificates.rendering import Pages, PdfRenderer
from gramota.certificates.server import CertificatesServicer
from gramota.contracts.certificates.v1 import certificates_pb2 as pb
from gramota.contracts.events.v1 import events_pb2
from gramota.shared import events, topics
from gramota.shared.clock import ManualClock
from gramota.shared.consumer import Delivery
from gramota.shared.errors import Conflict, InvalidArgument
from tests.conftest import eventually

pytestmark = pytest.mark.integration
BASE = "https://gramota.example"
KEY_A, KEY_B = signing.SigningKey.generate().seed(), signing.SigningKey.generate().seed()
VALID, REVOKED, SUSPENDED, EXPIRED, UNKNOWN = (pb.CERTIFICATE_STATUS_VALID, pb.CERTIFICATE_STATUS_REVOKED,
                                               pb.CERTIFICATE_STATUS_SUSPENDED, pb.CERTIFICATE_STATUS_EXPIRED,
                                               pb.CERTIFICATE_STATUS_UNKNOWN)


class System:
    def __init__(self, pool, clock, key_secret):
        self.pool, self.clock, self.key_secret = pool, clock, key_secret

    async def start(self, key_secret: str) -> None:
        self.issuer = Issuer(self.clock, BASE, await KeyRing.load(self.pool, key_secret))
        self.issuing = CertificateIssuing(self.issuer)
        self.serve(Pages(BASE, self.issuer.keys.chain))

    def serve(self, pages: Pages) -> None:
        """The servicer, rendering downloads with `pages`."""
        self.pages = pages
        self.svc = CertificatesServicer(self.pool, self.clock, self.issuer, pages)


@pytest.fixture
async def system(schema_pools):
    s = System(await schema_pools("certificates"), ManualClock(datetime(2026, 3, 2, 9, 0, tzinfo=UTC)), KEY_A)
    await s.start(KEY_A)
    return s


def result(name="Иванова Мария Петровна", passed=True, validity_days=0, language="ru", attempt=None):
    return events_pb2.ResultScored(
        result_id=str(uuid.uuid4()), attempt_id=attempt or str(uuid.uuid4()), exam_id=str(uuid.uuid4()),
        exam_title="Цифровая грамотность служащего", score_percent=85.0, passed=passed,
        candidate=events_pb2.Candidate(user_id="u-1", full_name=name), validity_days=validity_days,
        certificate_language=language,
        subscores=[events_pb2.CompetenceScore(competence="Цифровая гигиена", percent=100),
                   events_pb2.CompetenceScore(competence="Обращения граждан", percent=70)])


def delivery(system, event_type, payload, aggregate="a"):
    env = events.envelope(event_type, payload, aggregate_id=aggregate, producer="scoring")
    return Delivery(system.pool, events.Event(env, payload))


async def issue(system, **kw) -> pb.Certificate:
    msg = result(**kw)
    await system.issuing.on_result_scored(delivery(system, topics.RESULT_SCORED, msg))
    return await system.svc.FindByAttempt(pb.FindByAttemptRequest(attempt_id=msg.attempt_id), None)


async def verify(system, serial, **kw) -> pb.Verification:
    return await system.svc.Verify(pb.VerifyRequest(serial=serial, **kw), None)


async def test_a_pass_issues_one_signed_certificate_even_when_the_result_is_delivered_again(system):
    msg = result()
    first = delivery(system, topics.RESULT_SCORED, msg)
    await system.issuing.on_result_scored(first)
    await system.issuing.on_result_scored(first)                                      # the same event again
    await system.issuing.on_result_scored(delivery(system, topics.RESULT_SCORED, msg))  # re-sent as a new event
    assert await system.pool.fetchval("SELECT count(*) FROM certificates WHERE attempt_id = $1",
                                      uuid.UUID(msg.attempt_id)) == 1
    cert = await system.svc.FindByAttempt(pb.FindByAttemptRequest(attempt_id=msg.attempt_id), None)
    assert cert.key_id == system.issuer.keys.current.key_id
    assert [c.competence for c in cert.competences] == ["Цифровая гигиена", "Обращения граждан"]
    assert (await verify(system, cert.serial)).status == VALID


async def test_a_fail_issues_nothing(system):
    msg = result(passed=False)
    await system.issuing.on_result_scored(delivery(system, topics.RESULT_SCORED, msg))
    assert await system.pool.fetchval("SELECT count(*) FROM certificates") == 0


async def test_the_qr_signature_verifies_and_a_forged_one_does_not(system):
    cert = await issue(system)
    row = await system.pool.fetchrow("SELECT key_id, signature FROM certificates")
    good = await verify(system, cert.serial, key_id=row["key_id"], signature=signing.b64url(bytes(row["signature"])))
    assert good.signature_checked and good.signature_valid
    forged = bytearray(row["signature"])
    forged[5] ^= 1
    bad = await verify(system, cert.serial, key_id=row["key_id"], signature=signing.b64url(bytes(forged)))
    assert bad.signature_checked and not bad.signature_valid


async def test_revocation_suspension_and_expiry_each_show(system):
    revoked, suspended = await issue(system), await issue(system)
    expiring = await issue(system, validity_days=365)
    await system.svc.Revoke(pb.ChangeStatusRequest(serial=revoked.serial, reason="exam fraud"), None)
    await system.svc.Suspend(pb.ChangeStatusRequest(serial=suspended.serial, reason="under review"), None)

    v = await verify(system, revoked.serial)
    assert v.status == REVOKED and v.revocation_reason == "exam fraud" and v.revoked_at.seconds
    assert (await verify(system, suspended.serial)).status == SUSPENDED
    assert (await verify(system, expiring.serial)).status == VALID
    system.clock.advance(days=366)
    v = await verify(system, expiring.serial)
    assert v.status == EXPIRED and v.expires_at.seconds

    await system.svc.Reinstate(pb.ChangeStatusRequest(serial=suspended.serial), None)
    assert (await verify(system, suspended.serial)).status == VALID
    with pytest.raises(Conflict):
        await system.svc.Revoke(pb.ChangeStatusRequest(serial=revoked.serial, reason="again"), None)
    with pytest.raises(InvalidArgument):
        await system.svc.Suspend(pb.ChangeStatusRequest(serial=suspended.serial, reason=" "), None)
    kinds = [events_pb2.Envelope.FromString(r["payload"]).type
             for r in await system.pool.fetch("SELECT payload FROM outbox ORDER BY id")]
    assert {topics.CERTIFICATE_REVOKED, topics.CERTIFICATE_SUSPENDED, topics.CERTIFICATE_REINSTATED} <= set(kinds)


async def test_reissue_with_a_corrected_name_revokes_the_old_one_and_links_both(system):
    old = await issue(system, name="Иванова Мрия Петровна")
    new = await system.svc.Reissue(pb.ReissueRequest(serial=old.serial, holder_name="Иванова Мария Петровна",
                                                     reason="typo in the name"), None)
    assert new.holder_name == "Иванова Мария Петровна" and new.replaces_serial == old.serial
    v = await verify(system, old.serial)
    assert v.status == REVOKED and v.replaced_by_serial == new.serial
    assert (await verify(system, new.serial)).status == VALID


async def test_a_rescore_to_fail_revokes_and_a_rescore_to_pass_issues(system):
    cert = await issue(system)
    now_fails = result(passed=False, attempt=cert.attempt_id)
    await system.issuing.on_result_rescored(delivery(system, topics.RESULT_RESCORED, events_pb2.ResultRescored(
        result=now_fails, previously_passed=True, reason="key corrected")))
    assert (await verify(system, cert.serial)).status == REVOKED

    late = result(passed=False)
    await system.issuing.on_result_scored(delivery(system, topics.RESULT_SCORED, late))
    late.passed = True
    rescored = delivery(system, topics.RESULT_RESCORED, events_pb2.ResultRescored(result=late, previously_passed=False))
    await system.issuing.on_result_rescored(rescored)
    await system.issuing.on_result_rescored(rescored)
    new = await system.svc.FindByAttempt(pb.FindByAttemptRequest(attempt_id=late.attempt_id), None)
    assert (await verify(system, new.serial)).status == VALID
    assert await system.pool.fetchval("SELECT count(*) FROM certificates WHERE attempt_id = $1",
                                      uuid.UUID(late.attempt_id)) == 1


async def test_key_rotation_keeps_old_certificates_verifying(system):
    old = await issue(system)
    old_row = await system.pool.fetchrow("SELECT key_id, signature FROM certificates")
    await system.start(KEY_B)  # the operator rotated CERT_SIGNING_KEY
    new = await issue(system)
    assert new.key_id != old.key_id
    v = await verify(system, old.serial, key_id=old_row["key_id"], signature=signing.b64url(bytes(old_row["signature"])))
    assert v.status == VALID and v.signature_valid
    keys = await system.svc.ListPublicKeys(pb.ListPublicKeysRequest(), None)
    assert {k.key_id for k in keys.keys} == {old.key_id, new.key_id}
    assert [k.key_id for k in keys.keys if k.current] == [new.key_id]
    doc = await system.svc.GetPdf(pb.GetCertificateRequest(serial=old.serial), None)
    assert (await system.svc.VerifyPdf(pb.VerifyPdfRequest(content=doc.content), None)).document == "authentic"


async def test_an_uploaded_pdf_is_authentic_and_a_tampered_one_is_caught(system):
    from gramota.certificates import pades, pdf
    from tests import tamper

    cert = await issue(system, name="Петров Пётр Петрович")
    doc = await system.svc.GetPdf(pb.GetCertificateRequest(serial=cert.serial), None)
    ok = await system.svc.VerifyPdf(pb.VerifyPdfRequest(content=doc.content), None)
    assert ok.document == "authentic" and ok.verification.status == VALID and ok.verification.holder_name == cert.holder_name

    row = await system.pool.fetchrow("SELECT key_id, payload, signature, issued_at FROM certificates")
    token = f"{row['key_id']}.{signing.b64url(bytes(row['payload']))}.{signing.b64url(bytes(row['signature']))}"
    page = dict(serial_display=cert.serial, holder_name=cert.holder_name, exam_title=cert.exam_title,
                score_percent=cert.score_percent, issued_at=row["issued_at"], verify_url="x", signed_token=token)
    # the same signed data, re-rendered and signed with Gramota's chain: not the issued file, but everything agrees
    same = pdf.render(pdf.CertificatePage(**page))
    chain = system.issuer.keys.chain
    resigned = await asyncio.to_thread(pades.Signer(chain).sign, same)  # pyHanko runs a loop of its own
    assert (await system.svc.VerifyPdf(pb.VerifyPdfRequest(content=resigned), None)).document == "intact"
    # ... but without the PDF signature it cannot be told from a forgery that copies the page
    unsealed = await system.svc.VerifyPdf(pb.VerifyPdfRequest(content=same), None)
    assert unsealed.document == "altered" and unsealed.problems == ["pdf_unsigned"]
    # text laid over the issued file in an incremental update (the signed bytes untouched), or one signed byte changed
    laid_over = await system.svc.VerifyPdf(pb.VerifyPdfRequest(content=tamper.overlay(doc.content)), None)
    assert laid_over.document == "altered" and laid_over.verification.status == VALID
    assert laid_over.problems == ["pdf_appended_after_signing"]
    flipped = await system.svc.VerifyPdf(pb.VerifyPdfRequest(content=tamper.flip_signed_byte(doc.content)), None)
    assert flipped.document == "altered" and "pdf_changed_after_signing" in flipped.problems
    # the visible name changed, the embedded data kept
    renamed = pdf.render(pdf.CertificatePage(**page | {"holder_name": "Сидоров Сидор Сидорович"}))
    bad = await system.svc.VerifyPdf(pb.VerifyPdfRequest(content=renamed), None)
    assert bad.document == "altered" and any("name" in p for p in bad.problems)
    # the embedded data changed to match a forged visible score: the signature fails
    forged_payload = signing.Payload.from_dict(__import__("json").loads(bytes(row["payload"]))).as_dict() | {"score": 10000}
    forged = f"{row['key_id']}.{signing.b64url(signing.canonical_json(forged_payload))}.{signing.b64url(bytes(row['signature']))}"
    faked = pdf.render(pdf.CertificatePage(**page | {"score_percent": 100.0, "signed_token": forged}))
    assert (await system.svc.VerifyPdf(pb.VerifyPdfRequest(content=faked), None)).document == "signature_invalid"
    # a PDF that never came from Gramota
    plain = pdf.render(pdf.CertificatePage(**page | {"signed_token": ""}))
    assert (await system.svc.VerifyPdf(pb.VerifyPdfRequest(content=plain), None)).document == "not_a_certificate"
    with pytest.raises(InvalidArgument):
        await system.svc.VerifyPdf(pb.VerifyPdfRequest(content=b"not a pdf"), None)


async def test_bulk_check_of_ten_thousand_serials_answers_each_correctly(system):
    issued_at = system.clock.now()
    records = []
    for i in range(10_000):
        records.append((serials.new_serial(), uuid.uuid4(), uuid.uuid4(), uuid.uuid4(), "Экзамен", f"u{i}",
                        f"Фамилия{i % 7} Имя", 80.0, issued_at, "revoked" if i % 10 == 0 else "valid", b"%PDF"))
    await system.pool.copy_records_to_table("certificates", records=records, columns=[
        "serial", "attempt_id", "result_id", "exam_id", "exam_title", "holder_user_id", "holder_name", "score_percent",
        "issued_at", "status", "pdf"])
    entries = [pb.BulkEntry(serial=serials.display(r[0]).lower(), surname=f"фамилия{i % 7}" if i % 3 == 0 else "")
               for i, r in enumerate(records[:9_990])]
    unknown = [serials.new_serial() for _ in range(5)]
    entries += [pb.BulkEntry(serial=s) for s in unknown]
    entries += [pb.BulkEntry(serial=records[-1][0][:-1] + ("0" if records[-1][0][-1] != "0" else "1"))]  # typo
    entries += [pb.BulkEntry(serial=records[1][0], surname="Чужой")]
    out = await system.svc.VerifyBulk(pb.VerifyBulkRequest(entries=entries, verifier=pb.Verifier(user_id="hr-1")), None)

    assert len(out.results) == len(entries)
    for i, r in enumerate(out.results[:9_990]):
        assert r.verification.status == (REVOKED if i % 10 == 0 else VALID)
        assert r.surname_match == ("yes" if i % 3 == 0 else "")
    assert [r.verification.status for r in out.results[9_990:9_995]] == [UNKNOWN] * 5
    assert out.results[9_995].error == "invalid_serial"
    assert out.results[9_996].surname_match == "no"
    assert await system.pool.fetchval("SELECT count(*) FROM verifications WHERE method = 'bulk' AND user_id = 'hr-1'") \
        == len(entries) - 1


async def test_every_check_is_recorded_and_admins_see_who_checked(system):
    cert = await issue(system)
    await system.svc.Verify(pb.VerifyRequest(serial=cert.serial, verifier=pb.Verifier(client_address="10.0.0.7")), None)
    await system.svc.Verify(pb.VerifyRequest(serial=cert.serial, verifier=pb.Verifier(user_id="hr-42")), None)
    log = await system.svc.ListVerifications(pb.ListVerificationsRequest(serial=cert.serial), None)
    assert [(r.method, r.user_id, r.client_address) for r in log.records] == [
        ("serial", "hr-42", ""), ("serial", "", "10.0.0.7")]


async def badge_of(system, serial: str) -> dict:
    return json.loads((await system.svc.GetBadge(pb.GetCertificateRequest(serial=serial), None)).json)


async def status_bit(system, entry: dict) -> bool:
    """The bit a badge's status entry points at, read from the status list credential Gramota serves."""
    from gramota.certificates import badge

    list_no = int(entry["statusListCredential"].rsplit("/", 1)[1])
    doc = json.loads((await system.svc.GetStatusList(
        pb.StatusListRequest(purpose=entry["statusPurpose"], list=list_no), None)).json)
    assert doc["credentialSubject"]["statusPurpose"] == entry["statusPurpose"]
    assert badge.check(doc, system.issuer.keys.current.public_raw)
    index = int(entry["statusListIndex"])
    return bool(badge.decode_list(doc["credentialSubject"]["encodedList"])[index // 8] & (0x80 >> index % 8))


async def did_keys(system) -> dict[str, bytes]:
    from gramota.certificates import badge

    doc = json.loads((await system.svc.GetDidDocument(pb.DidDocumentRequest(path="/.well-known/did.json"), None)).json)
    return {m["id"]: badge.from_multikey(m["publicKeyMultibase"]) for m in doc["verificationMethod"]
            if m["id"] in doc["assertionMethod"]}


async def test_the_open_badge_verifies_with_the_key_its_did_document_publishes_even_after_a_rotation(system):
    from gramota.certificates import badge

    cert = await issue(system, validity_days=730)
    doc = await badge_of(system, cert.serial)
    assert doc["type"] == ["VerifiableCredential", "OpenBadgeCredential"] and "validUntil" in doc
    assert doc["issuer"]["id"] == "did:web:gramota.example" and doc["proof"][0]["cryptosuite"] == "eddsa-rdfc-2022"
    assert badge.check(doc, (await did_keys(system))[doc["proof"][0]["verificationMethod"]])
    await system.start(KEY_B)  # the operator rotated CERT_SIGNING_KEY: the old key stays in the DID document
    keys = await did_keys(system)
    assert len(keys) == 2 and badge.check(doc, keys[doc["proof"][0]["verificationMethod"]])
    fresh = await badge_of(system, cert.serial)
    assert fresh["proof"][0]["verificationMethod"] != doc["proof"][0]["verificationMethod"]
    assert badge.check(fresh, keys[fresh["proof"][0]["verificationMethod"]])
    # the achievement the badge names dereferences to JSON
    exam_id = doc["credentialSubject"]["achievement"]["id"].rsplit("/", 1)[1]
    achievement = json.loads((await system.svc.GetAchievement(pb.AchievementRequest(exam_id=exam_id), None)).json)
    assert achievement["id"] == doc["credentialSubject"]["achievement"]["id"]
    assert achievement["name"] == "Цифровая грамотность служащего"


async def test_revocation_and_suspension_show_in_the_status_lists_and_nothing_else_moves(system):
    from gramota.certificates import badge

    one, two = await issue(system), await issue(system, name="Петров Пётр Петрович")
    entry_one, entry_two = (await badge_of(system, one.serial))["credentialStatus"], (
        await badge_of(system, two.serial))["credentialStatus"]
    assert entry_one["statusListIndex"] != entry_two["statusListIndex"]
    assert entry_one["statusPurpose"] == "revocation" and not await status_bit(system, entry_one)
    suspension_two = badge.status_entry(BASE, "suspension", int(await system.pool.fetchval(
        "SELECT status_seq FROM certificates WHERE serial = $1", serials.normalise(two.serial))))
    assert suspension_two["statusListIndex"] == entry_two["statusListIndex"]  # the same place in both lists

    await system.svc.Suspend(pb.ChangeStatusRequest(serial=two.serial, reason="проверка"), None)
    assert await status_bit(system, suspension_two) and not await status_bit(system, entry_two)
    await system.svc.Reinstate(pb.ChangeStatusRequest(serial=two.serial), None)
    assert not await status_bit(system, suspension_two)

    await system.svc.Revoke(pb.ChangeStatusRequest(serial=one.serial, reason="ошибка в данных"), None)
    assert await status_bit(system, entry_one) and not await status_bit(system, entry_two)
    # the badge downloaded after the revocation points at the same bit
    assert (await badge_of(system, one.serial))["credentialStatus"] == entry_one


async def test_unknown_status_lists_did_paths_and_achievements_are_not_found(system):
    from gramota.shared.errors import NotFound

    await issue(system)
    for call, request, code in (
            (system.svc.GetStatusList, pb.StatusListRequest(purpose="expiry", list=0), "status_list_not_found"),
            (system.svc.GetStatusList, pb.StatusListRequest(purpose="revocation", list=1), "status_list_not_found"),
            (system.svc.GetStatusList, pb.StatusListRequest(purpose="revocation", list=-1), "status_list_not_found"),
            (system.svc.GetDidDocument, pb.DidDocumentRequest(path="/someone/did.json"), "did_document_not_found"),
            (system.svc.GetAchievement, pb.AchievementRequest(exam_id=str(uuid.uuid4())), "achievement_not_found"),
            (system.svc.GetAchievement, pb.AchievementRequest(exam_id="../etc"), "achievement_not_found")):
        with pytest.raises(NotFound) as err:
            await call(request, None)
        assert err.value.code == code


async def test_a_candidate_reaches_only_their_own_certificate_whatever_the_gateway_asks(system):
    from gramota.shared.errors import NotFound
    from gramota.shared.grpc_runtime import Identity, identity

    cert = await issue(system)  # held by u-1
    request = pb.GetCertificateRequest(serial=cert.serial)
    token = identity.set(Identity("u-2", "candidate"))
    try:
        for call in (system.svc.GetPdf, system.svc.GetBadge, system.svc.GetCertificate):
            with pytest.raises(NotFound) as refused:
                await call(request, None)
            assert refused.value.code == "certificate_not_found"  # the same answer as for a missing serial
        asked_for_u1 = await system.svc.ListByHolder(pb.ListByHolderRequest(holder_user_id="u-1"), None)
        assert list(asked_for_u1.certificates) == []
    finally:
        identity.reset(token)
    for who in (Identity("u-1", "candidate"), Identity("hr-1", "hr"), None):
        token = identity.set(who)
        try:
            assert (await system.svc.GetPdf(request, None)).content.startswith(b"%PDF")
        finally:
            identity.reset(token)


async def test_an_erased_candidates_later_pass_issues_nothing(system):
    msg = result()
    msg.candidate.CopyFrom(events_pb2.Candidate(user_id="u-1", federal_district="СКФО", erased=True))
    await system.issuing.on_result_scored(delivery(system, topics.RESULT_SCORED, msg))
    rescored = delivery(system, topics.RESULT_RESCORED, events_pb2.ResultRescored(result=msg, previously_passed=False))
    await system.issuing.on_result_rescored(rescored)
    assert await system.pool.fetchval("SELECT count(*) FROM certificates") == 0


async def test_only_an_admin_lists_another_holders_certificates(system):
    from gramota.shared.errors import PermissionDenied
    from tests.conftest import acting_as

    cert = await issue(system)  # held by u-1
    with acting_as("hr", "hr-1"), pytest.raises(PermissionDenied):
        await system.svc.ListByHolder(pb.ListByHolderRequest(holder_user_id="u-1"), None)
    with acting_as("admin", "admin-1"):
        listed = await system.svc.ListByHolder(pb.ListByHolderRequest(holder_user_id="u-1"), None)
    assert [(c.serial, c.holder_name) for c in listed.certificates] == [(cert.serial, "Иванова Мария Петровна")]


# --- the PDF, rendered after issue ------------------------------------------------------------------------
class CountingPages(Pages):
    """Pages that count their renders; `gate`, when given, holds every render until it is set."""

    def __init__(self, gate: asyncio.Event | None = None):
        super().__init__(BASE)
        self.rendered: list[str] = []
        self.started = asyncio.Event()
        self.gate = gate

    async def render(self, row):
        self.started.set()
        if self.gate is not None:
            await self.gate.wait()
        self.rendered.append(row["serial"])
        return await super().render(row)


def counting_pages(gate=None) -> CountingPages:
    return CountingPages(gate=gate)


async def stored_pdf(system, serial):
    return await system.pool.fetchrow("SELECT pdf, pdf_sha256, rendered_at FROM certificates WHERE serial = $1",
                                      serials.normalise(serial))


async def pending(system) -> int:
    return await system.pool.fetchval("SELECT count(*) FROM certificates WHERE pdf IS NULL")


def visible_text(content: bytes) -> str:
    from gramota.certificates.verification import read_pdf

    return read_pdf(content)[1]


async def test_a_certificate_is_issued_and_verifies_before_any_pdf_exists(system):
    cert = await issue(system, name="Иванова Мария Петровна")  # no renderer runs in this test
    row = await stored_pdf(system, cert.serial)
    assert row["pdf"] is None and row["pdf_sha256"] is None and row["rendered_at"] is None
    signed = await system.pool.fetchrow("SELECT key_id, signature FROM certificates")
    v = await verify(system, cert.serial, key_id=signed["key_id"], signature=signing.b64url(bytes(signed["signature"])))
    assert v.status == VALID and v.signature_valid and v.holder_name == "Иванова Мария Петровна"
    bulk = await system.svc.VerifyBulk(pb.VerifyBulkRequest(entries=[pb.BulkEntry(serial=cert.serial)]), None)
    assert bulk.results[0].verification.status == VALID
    kinds = [events_pb2.Envelope.FromString(r["payload"]).type for r in await system.pool.fetch("SELECT payload FROM outbox")]
    assert kinds == [topics.CERTIFICATE_ISSUED]


async def test_the_renderer_fills_in_the_pdf_with_the_holders_name_and_it_verifies(system):
    cert = await issue(system, name="Петров Пётр Петрович")
    system.clock.advance(seconds=2)
    renderer = PdfRenderer(system.pool, system.pages, system.clock)
    task = asyncio.create_task(renderer.run())
    try:
        row = await eventually(lambda: stored_pdf_ready(system, cert.serial), timeout=30)
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
    assert row["pdf_sha256"] == hashlib.sha256(row["pdf"]).digest()
    assert row["rendered_at"] == system.clock.now()
    text = await asyncio.to_thread(visible_text, bytes(row["pdf"]))
    assert "Петров Пётр Петрович" in text and cert.serial in text
    doc = await system.svc.GetPdf(pb.GetCertificateRequest(serial=cert.serial), None)
    assert doc.content == bytes(row["pdf"])
    assert (await system.svc.VerifyPdf(pb.VerifyPdfRequest(content=doc.content), None)).document == "authentic"


async def stored_pdf_ready(system, serial):
    row = await stored_pdf(system, serial)
    return row if row["pdf"] is not None else None


async def test_a_download_of_a_pending_certificate_renders_it_once_and_keeps_it(system):
    system.serve(counting_pages())
    cert = await issue(system)
    first = await system.svc.GetPdf(pb.GetCertificateRequest(serial=cert.serial), None)
    again = await system.svc.GetPdf(pb.GetCertificateRequest(serial=cert.serial), None)
    assert first.content.startswith(b"%PDF") and again.content == first.content
    assert system.pages.rendered == [serials.normalise(cert.serial)]
    row = await stored_pdf(system, cert.serial)
    assert bytes(row["pdf"]) == first.content and row["rendered_at"] is not None
    assert (await system.svc.VerifyPdf(pb.VerifyPdfRequest(content=first.content), None)).document == "authentic"


async def test_a_download_while_the_renderer_works_on_it_waits_and_gets_that_render(system):
    gate = asyncio.Event()
    background = counting_pages(gate=gate)
    system.serve(counting_pages())
    cert = await issue(system)
    batch = asyncio.create_task(PdfRenderer(system.pool, background, system.clock).render_batch())
    await asyncio.wait_for(background.started.wait(), 30)     # the renderer holds the row
    download = asyncio.create_task(system.svc.GetPdf(pb.GetCertificateRequest(serial=cert.serial), None))
    gate.set()
    assert await batch == 1
    doc = await download
    assert doc.content == bytes((await stored_pdf(system, cert.serial))["pdf"])
    assert background.rendered == [serials.normalise(cert.serial)] and system.pages.rendered == []


async def test_two_renderers_on_one_database_never_render_the_same_certificate_twice(system):
    certs = [await issue(system, name=f"Кандидат {i} Тестовый") for i in range(12)]
    a, b = counting_pages(), counting_pages()
    tasks = [asyncio.create_task(PdfRenderer(system.pool, pages, system.clock, batch_size=3).run()) for pages in (a, b)]
    try:
        await eventually(lambda: no_pending(system), timeout=60)
    finally:
        for t in tasks:
            t.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
    rendered = a.rendered + b.rendered
    assert sorted(rendered) == sorted(serials.normalise(c.serial) for c in certs)  # each exactly once
    assert a.rendered and b.rendered  # both took a share


async def no_pending(system) -> bool:
    return await pending(system) == 0


async def test_a_renderer_stopped_half_way_loses_nothing_and_the_next_one_renders_it_all(system):
    certs = [await issue(system) for _ in range(3)]
    stuck = counting_pages(gate=asyncio.Event())  # never finishes a render
    task = asyncio.create_task(PdfRenderer(system.pool, stuck, system.clock, batch_size=2).run())
    await asyncio.wait_for(stuck.started.wait(), 30)
    task.cancel()                                                 # killed mid-render
    with contextlib.suppress(asyncio.CancelledError):
        await task
    assert await pending(system) == 3
    fresh = counting_pages()
    renderer = PdfRenderer(system.pool, fresh, system.clock, batch_size=2)
    while await renderer.render_batch():
        pass
    assert await pending(system) == 0
    assert sorted(fresh.rendered) == sorted(serials.normalise(c.serial) for c in certs)


async def test_a_new_certificate_wakes_the_idle_renderer_at_once(system):
    task = asyncio.create_task(PdfRenderer(system.pool, system.pages, system.clock, idle_seconds=3600).run())
    try:
        await eventually(lambda: renderer_listening(system), timeout=30)
        cert = await issue(system)   # the renderer sleeps for an hour unless the issue wakes it
        await eventually(lambda: stored_pdf_ready(system, cert.serial), timeout=30)
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)


async def renderer_listening(system) -> bool:
    return bool(await system.pool.fetchval(
        "SELECT count(*) FROM pg_stat_activity WHERE query LIKE 'LISTEN %gramota_certificates_pdf%'"))
