"""JSON-LD for the Open Badges credentials: the contexts (local only) and RDF Dataset Canonicalization.

The contexts are the ones the Digital Credentials Consortium's verifier serves offline (VC 2.0, Open Badges
3.0.x, Data Integrity, Bitstring Status List, DID): deploy/setup.sh installs that npm stack into the cache and
writes its contexts to one JSON file (deploy/ob3/contexts.mjs), so Gramota signs with exactly the contexts an
outside verifier checks with. Nothing is fetched at run time: a context not in the file is an error.
"""
from __future__ import annotations

import json
import os
from functools import lru_cache
from pathlib import Path

from pyld import jsonld


class ContextsMissing(RuntimeError):
    """The contexts file is absent: deploy/setup.sh was not run (or JSONLD_CONTEXTS names no file)."""


def contexts_path() -> Path:
    """JSONLD_CONTEXTS, else the file deploy/setup.sh writes into the cache (GRAMOTA_CACHE_DIR, ~/.cache/gramota)."""
    explicit = os.environ.get("JSONLD_CONTEXTS")
    if explicit:
        return Path(explicit)
    cache = os.environ.get("GRAMOTA_CACHE_DIR") or os.path.join(os.path.expanduser("~"), ".cache", "gramota")
    return Path(cache) / "ob3" / "contexts.json"


@lru_cache(maxsize=1)
def contexts() -> dict[str, dict]:
    path = contexts_path()
    try:
        return json.loads(path.read_text())
    except FileNotFoundError:
        raise ContextsMissing(f"no JSON-LD contexts at {path}: run deploy/setup.sh (or set JSONLD_CONTEXTS)") from None


def document_loader(url: str, options: dict | None = None) -> dict:
    """pyld's loader: the local copy of a context, never the network."""
    doc = contexts().get(url)
    if doc is None:
        raise jsonld.JsonLdError(f"no local copy of {url}", "jsonld.LoadDocumentError", code="loading document failed")
    return {"contextUrl": None, "documentUrl": url, "document": doc}


def canonicalize(document: dict) -> str:
    """RDF Dataset Canonicalization (RDFC-1.0, which pyld calls URDNA2015) as sorted N-Quads. pyld has no "safe
    mode"; no term can drop out here because the VC 2.0 context maps undefined terms with @vocab, and the outside
    verifier (which runs in safe mode) checks every credential Gramota makes in the tests."""
    return jsonld.normalize(document, {"algorithm": "URDNA2015", "format": "application/n-quads",
                                       "documentLoader": document_loader})
