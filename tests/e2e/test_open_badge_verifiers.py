"""A holder's Open Badge as outside parties check it, on the running system: the Digital Credentials Consortium's
JavaScript verifier (npm, run with Node; contexts only from its packages, the DID document and the status lists only
from Gramota) and 1EdTech's OB 3.0 JSON schema. A revoked certificate's badge reads revoked there."""
from __future__ import annotations

import json
import shutil
import subprocess
import uuid
from pathlib import Path

import pytest

from tests.conftest import ROOT, wait_until

from .conftest import make_candidate, make_exam, pass_exam

GIFT = "::badge-1:: Фишинговое письмо просит срочно сменить пароль по ссылке. {=Сообщить в ИБ ~Перейти по ссылке}\n"
VERIFIER = ROOT / "deploy" / "ob3" / "verify.mjs"
SCHEMA = ROOT.parent / "shared" / "standards" / "ob3" / "ob_v3p0_achievementcredential_schema.json"


def outside_verifier(api, credential: dict, tmp_path: Path) -> tuple[int, dict]:
    """(exit code, report) of `node deploy/ob3/verify.mjs` on the credential, fetching from this gateway."""
    assert shutil.which("node"), "Node is missing: deploy/setup.sh installs it"
    assert (VERIFIER.parent / "node_modules" / "@digitalcredentials" / "vc").exists(), \
        "the DCC verifier stack is missing: deploy/setup.sh installs it (npm ci into the cache)"
    path = tmp_path / f"badge-{uuid.uuid4().hex[:6]}.json"
    path.write_text(json.dumps(credential, ensure_ascii=False))
    run = subprocess.run(["node", str(VERIFIER), str(path), "--gramota", str(api.base_url).rstrip("/")],
                         capture_output=True, text=True, timeout=60)
    assert run.stdout.strip(), run.stderr
    return run.returncode, json.loads(run.stdout)


@pytest.fixture(scope="module")
def holder(api, admin):
    name = "Алиева Зарема Руслановна"
    me = make_candidate(api, admin, f"badge-{uuid.uuid4().hex[:6]}", full_name=name)
    exam = make_exam(api, admin, GIFT, "Открытые бейджи: проверка", pass_score=50)
    done = pass_exam(api, me, exam["id"], "Сообщить в ИБ")
    return {"headers": me, "serial": done["certificate_serial"], "name": name}


def test_the_holder_downloads_a_badge_that_the_dcc_verifier_accepts_and_then_reports_revoked(api, admin, holder,
                                                                                            tmp_path):
    serial = holder["serial"]
    r = api.get(f"/api/v1/my/certificates/{serial}/badge", headers=holder["headers"])
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/vc+ld+json")
    credential = r.json()
    assert api.get(f"/api/v1/certificates/{serial}/badge", headers=holder["headers"]).json() == credential
    assert holder["name"] not in r.text  # the holder is a salted hash, not the name

    code, report = outside_verifier(api, credential, tmp_path)
    assert report == {"verified": True, "status": {"revocation": False}, "errors": [], "checks": {
        "valid_signature": True, "issuer_did_resolves": True, "revocation_status": True, "expiration": True}}
    assert code == 0

    forged = json.loads(json.dumps(credential))
    assert forged["credentialSubject"]["result"][0]["value"] == "100.0"
    forged["credentialSubject"]["result"][0]["value"] = "99.0"
    code, report = outside_verifier(api, forged, tmp_path)
    assert code == 1 and report["verified"] is False and "Invalid signature." in report["errors"]

    assert api.post(f"/api/v1/certificates/{serial}/revoke", headers=admin,
                    json={"reason": "подлог"}).status_code == 200
    code, report = outside_verifier(api, credential, tmp_path)
    assert code == 1 and report["verified"] is True and report["status"] == {"revocation": True}
    assert report["checks"]["revocation_status"] is False


def test_the_badge_validates_against_the_ob3_achievement_credential_schema(api, holder):
    if not SCHEMA.exists():
        pytest.skip(f"the OB 3.0 JSON schema is not at {SCHEMA} (../shared/standards/ob3)")
    from jsonschema import Draft201909Validator

    credential = api.get(f"/api/v1/my/certificates/{holder['serial']}/badge", headers=holder["headers"]).json()
    validator = Draft201909Validator(json.loads(SCHEMA.read_text()), format_checker=Draft201909Validator.FORMAT_CHECKER)
    assert [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(credential)] == []


def test_what_the_badge_names_dereferences_to_json_and_unknown_things_are_404_problems(api, holder):
    credential = api.get(f"/api/v1/my/certificates/{holder['serial']}/badge", headers=holder["headers"]).json()
    did = api.get("/.well-known/did.json")
    assert did.status_code == 200 and did.json()["id"] == credential["issuer"]["id"]
    assert credential["proof"][0]["verificationMethod"] in did.json()["assertionMethod"]
    achievement = credential["credentialSubject"]["achievement"]["id"]
    assert api.get(achievement).json()["name"] == "Открытые бейджи: проверка"
    status = api.get(credential["credentialStatus"]["statusListCredential"])
    assert status.status_code == 200 and status.json()["type"][1] == "BitstringStatusListCredential"
    for path, code in (("/api/v1/status-lists/expiry/0", "status_list_not_found"),
                       ("/api/v1/status-lists/revocation/4096", "status_list_not_found"),
                       ("/api/v1/status-lists/suspension/-1", None),
                       ("/someone/else/did.json", "did_document_not_found"),
                       (f"/api/v1/achievements/{uuid.uuid4()}", "achievement_not_found")):
        r = api.get(path)
        assert r.status_code in (404, 422) and r.headers["content-type"].startswith("application/problem+json"), path
        if code:
            assert r.status_code == 404 and r.json()["code"] == code, path


def test_after_a_key_rotation_a_badge_signed_with_the_old_key_still_verifies(system, api, admin, tmp_path):
    from gramota.certificates.signing import SigningKey

    me = make_candidate(api, admin, f"rotate-{uuid.uuid4().hex[:6]}", full_name="Ибрагимов Руслан Ахмедович")
    exam = make_exam(api, admin, GIFT, "Открытые бейджи: смена ключа", pass_score=50)
    serial = pass_exam(api, me, exam["id"], "Сообщить в ИБ")["certificate_serial"]
    before = api.get(f"/api/v1/my/certificates/{serial}/badge", headers=me).json()

    system.env_of["certificates"] = {"CERT_SIGNING_KEY": SigningKey.generate().seed()}  # the operator rotates
    system.stop("certificates")
    system.start("certificates")
    after = wait_until(lambda: (r := api.get(f"/api/v1/my/certificates/{serial}/badge", headers=me)).status_code == 200
                       and r.json(), timeout=60, message="certificates back with the new key")
    assert after["proof"][0]["verificationMethod"] != before["proof"][0]["verificationMethod"]
    methods = api.get("/.well-known/did.json").json()["assertionMethod"]
    assert {before["proof"][0]["verificationMethod"], after["proof"][0]["verificationMethod"]} <= set(methods)
    for credential in (before, after):
        code, report = outside_verifier(api, credential, tmp_path)
        assert code == 0 and report["verified"] is True and report["status"] == {"revocation": False}, report
