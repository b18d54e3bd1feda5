"""PAdES signatures on certificate PDFs (pyHanko), so that any PDF reader checks them, and their check at upload.

The chain, one per Ed25519 signing key (so it rotates exactly when that key does):

    Gramota issuer CA <kid>          ECDSA P-256, self-signed, the trust anchor a verifier installs
      └─ Gramota certificates <kid>  ECDSA P-256, signs the PDFs (digitalSignature, nonRepudiation)

Both private keys are derived from the Ed25519 key's seed with HKDF-SHA256 (distinct `info` labels), so the one
secret that exists today (CERT_SIGNING_KEY) is still the only one; the two certificates are made once per key id
by the first replica that starts with it and kept in `pdf_signing_chains` with the public keys, so every replica
signs with the same chain. Rotating CERT_SIGNING_KEY makes a new chain; earlier chains stay in the table, so a PDF
signed before the rotation still validates against its own CA. ECDSA P-256 rather than Ed25519 because that is
what PDF readers verify everywhere (Ed25519 in PDF needs ISO 32002 support that poppler/NSS and Acrobat lack).

Each PDF gets a certification signature (DocMDP: no changes allowed) over the whole file (PAdES B-B, subfilter
ETSI.CAdES.detached). Text laid over the page afterwards, even as an incremental update that leaves the signed
bytes untouched, makes the signature cover only part of the file: pdfsig and pyHanko say so, and so does
`check()` (Gramota's upload check).
"""
from __future__ import annotations

import io
import logging
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.x509.oid import NameOID

from .signing import SigningKey

# an uploaded file signed by someone else is an answer ("not Gramota's"), not a warning with a traceback in the logs
logging.getLogger("pyhanko.sign.validation").setLevel(logging.ERROR)
VALID_YEARS = 30  # certificates may never expire; a reader checks the chain at the moment it reads the file
_P256_ORDER = 0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551
FIELD = "GramotaSignature"
RESERVED = 4096


def derived_key(key: SigningKey, label: str) -> ec.EllipticCurvePrivateKey:
    """A P-256 key derived from the Ed25519 seed (HKDF-SHA256, the label as info): same seed, same key."""
    seed = key.private.private_bytes(serialization.Encoding.Raw, serialization.PrivateFormat.Raw,
                                     serialization.NoEncryption())
    okm = HKDF(algorithm=hashes.SHA256(), length=48, salt=b"gramota-pdf", info=label.encode()).derive(seed)
    return ec.derive_private_key(int.from_bytes(okm, "big") % (_P256_ORDER - 1) + 1, ec.SECP256R1())


def _name(common: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common), x509.NameAttribute(NameOID.ORGANIZATION_NAME,
                                                                                             "Gramota")])


@dataclass(frozen=True)
class Chain:
    """What the render process signs with: the signing key (PKCS#8 DER) and the two certificates (DER)."""

    key_id: str
    signing_key: bytes
    signing_cert: bytes
    ca_cert: bytes


def issue_chain(key: SigningKey, now: datetime | None = None) -> Chain:
    """A new CA and signing certificate for this Ed25519 key (the keys are derived; the certificates are new)."""
    now = (now or datetime.now(UTC)) - timedelta(minutes=5)
    until = now + timedelta(days=365 * VALID_YEARS)
    ca_key, leaf_key = derived_key(key, "issuer-ca"), derived_key(key, "pdf-signing")
    ca_name = _name(f"Gramota issuer CA {key.key_id}")
    ca_ski = x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key())
    ca = (x509.CertificateBuilder().subject_name(ca_name).issuer_name(ca_name).public_key(ca_key.public_key())
          .serial_number(x509.random_serial_number()).not_valid_before(now).not_valid_after(until)
          .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
          .add_extension(x509.KeyUsage(digital_signature=False, content_commitment=False, key_encipherment=False,
                                       data_encipherment=False, key_agreement=False, key_cert_sign=True,
                                       crl_sign=True, encipher_only=False, decipher_only=False), critical=True)
          .add_extension(ca_ski, critical=False)
          .sign(ca_key, hashes.SHA256()))
    leaf = (x509.CertificateBuilder().subject_name(_name(f"Gramota certificates {key.key_id}")).issuer_name(ca_name)
            .public_key(leaf_key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now).not_valid_after(until)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=True, key_encipherment=False,
                                         data_encipherment=False, key_agreement=False, key_cert_sign=False,
                                         crl_sign=False, encipher_only=False, decipher_only=False), critical=True)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(leaf_key.public_key()), critical=False)
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(ca_ski), critical=False)
            .sign(ca_key, hashes.SHA256()))
    return Chain(key.key_id, _pkcs8(leaf_key), leaf.public_bytes(serialization.Encoding.DER),
                 ca.public_bytes(serialization.Encoding.DER))


def with_key(key: SigningKey, signing_cert: bytes, ca_cert: bytes) -> Chain:
    """The stored certificates of this key, with its derived signing key."""
    return Chain(key.key_id, _pkcs8(derived_key(key, "pdf-signing")), signing_cert, ca_cert)


def _pkcs8(key: ec.EllipticCurvePrivateKey) -> bytes:
    return key.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption())


def pem(der: bytes) -> str:
    return x509.load_der_x509_certificate(der).public_bytes(serialization.Encoding.PEM).decode()


class Signer:
    """Signs PDFs with one chain; built once per render process (the key is parsed once, not per certificate)."""

    def __init__(self, chain: Chain) -> None:
        from asn1crypto import keys
        from asn1crypto import x509 as asn1_x509
        from pyhanko.sign import fields, signers
        from pyhanko_certvalidator.registry import SimpleCertificateStore

        self._signers = signers
        self.signer = signers.SimpleSigner(
            signing_cert=asn1_x509.Certificate.load(chain.signing_cert),
            signing_key=keys.PrivateKeyInfo.load(chain.signing_key),
            cert_registry=SimpleCertificateStore.from_certs([asn1_x509.Certificate.load(chain.ca_cert)]))
        self.meta = signers.PdfSignatureMetadata(
            field_name=FIELD, md_algorithm="sha256", subfilter=fields.SigSeedSubFilter.PADES, certify=True,
            docmdp_permissions=fields.MDPPerm.NO_CHANGES, reason="Gramota certificate: issued and signed",
            location="Gramota")

    def sign(self, pdf: bytes) -> bytes:
        from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

        writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
        # a fixed reservation (the CMS is ~2.2 KB) spares pyHanko a dummy signature to estimate its size
        out = self._signers.PdfSigner(self.meta, signer=self.signer).sign_pdf(writer, bytes_reserved=RESERVED)
        return out.getvalue()


@dataclass(frozen=True)
class Check:
    """What the PDF signature says about an uploaded file."""

    signed: bool          # it carries a signature at all
    intact: bool          # the signed bytes are unchanged (the digest matches) and the signature is valid
    whole_file: bool      # nothing was appended after signing
    trusted: bool         # signed by a Gramota chain (one of the known CAs)
    problems: tuple[str, ...] = ()  # stable codes (the verify page words them)


def check(pdf: bytes, ca_certs: list[bytes]) -> Check:
    """Validates the file's signature with pyHanko against Gramota's CAs; blocking (call it in a thread)."""
    from asn1crypto import x509 as asn1_x509
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.status import SignatureCoverageLevel
    from pyhanko_certvalidator import ValidationContext

    try:
        signatures = PdfFileReader(io.BytesIO(pdf), strict=False).embedded_signatures
    except Exception:
        return Check(False, False, False, False, ("pdf_unreadable",))
    if not signatures:
        return Check(False, False, False, False, ("pdf_unsigned",))
    context = ValidationContext(trust_roots=[asn1_x509.Certificate.load(c) for c in ca_certs], allow_fetching=False)
    try:
        status = validate_pdf_signature(signatures[0], context)
    except ValueError:  # pyHanko's SignatureValidationError is one
        return Check(True, False, False, False, ("pdf_signature_unreadable",))
    intact = bool(status.intact and status.valid)
    whole = status.coverage == SignatureCoverageLevel.ENTIRE_FILE and len(signatures) == 1
    problems = []
    if not intact:
        problems.append("pdf_changed_after_signing")  # the signed bytes differ: the digest does not match
    if not whole:
        problems.append("pdf_appended_after_signing")  # an incremental update (text laid on top, say) follows
    if not status.trusted:
        problems.append("pdf_signer_unknown")  # not signed by a Gramota signing certificate
    return Check(True, intact, whole, bool(status.trusted), tuple(problems))
