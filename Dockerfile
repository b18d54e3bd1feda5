# syntax=docker/dockerfile:1.7
# The one Gramota image: every service and every one-shot job, chosen by the first argument
# (deploy/docker-entrypoint.sh):
#   docker run IMAGE testbank | sessions | scoring | certificates | gateway
#   docker run IMAGE migrate | topics --replication-factor 3 | seed --gateway URL
# Build from the repository root:  docker build -t gramota .
# Pin the base by digest where the registry is reachable:
#   docker build --build-arg PYTHON_IMAGE=python:3.11.15-slim-bookworm@sha256:<digest> .

ARG PYTHON_IMAGE=python:3.11.15-slim-bookworm

# --- builder: compilers and headers stay here; only the virtualenv leaves ---------------------------
FROM ${PYTHON_IMAGE} AS builder

ENV PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_ROOT_USER_ACTION=ignore
RUN apt-get update \
 && apt-get install -y --no-install-recommends build-essential \
 && rm -rf /var/lib/apt/lists/*
RUN python -m venv /opt/gramota
ENV PATH=/opt/gramota/bin:$PATH
WORKDIR /src

# Dependencies first, read from pyproject alone, so that a code change does not reinstall them.
COPY pyproject.toml ./
RUN --mount=type=cache,target=/root/.cache/pip \
    python -c "import tomllib; print('\n'.join(tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']))" \
      > /tmp/requirements.txt \
 && pip install -r /tmp/requirements.txt

# Then the package itself: a regular (non-editable) install, byte-compiled, so the runtime image
# needs no writable site-packages.
COPY services/ services/
RUN --mount=type=cache,target=/root/.cache/pip \
    pip install --no-deps . \
 && python -P -c "import gramota.cli, gramota.testbank.__main__, gramota.sessions.__main__, gramota.scoring.__main__, gramota.certificates.__main__, gramota.gateway.__main__" \
 && test -n "$(find /opt/gramota/lib -path '*/gramota/shared/migrations/*.sql' -print -quit)"

# --- the JSON-LD contexts the Open Badges proofs are canonicalised with: the ones the DCC verifier stack serves
# offline (deploy/ob3/package-lock.json), written to one file; Node stays in this stage ----------------------------
FROM node:20-bookworm-slim AS contexts
WORKDIR /ob3
COPY deploy/ob3/package.json deploy/ob3/package-lock.json deploy/ob3/contexts.mjs ./
RUN npm ci --no-audit --no-fund --loglevel=error && node contexts.mjs /ob3/contexts.json

# --- runtime ---------------------------------------------------------------------------------------
FROM ${PYTHON_IMAGE} AS runtime

LABEL org.opencontainers.image.title="gramota" \
      org.opencontainers.image.description="Gramota: digital-literacy assessment and certification (all services, one image)"

# fonts-dejavu-core: Cyrillic glyphs for the certificate PDFs (certificates/pdf.py reads
# /usr/share/fonts/truetype/dejavu). tini: PID 1 that forwards signals and reaps children, so the
# one-shot jobs stop on SIGTERM too.
RUN apt-get update \
 && apt-get install -y --no-install-recommends fonts-dejavu-core tini \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --system --gid 10001 gramota \
 && useradd --system --uid 10001 --gid 10001 --home-dir /nonexistent --no-create-home \
      --shell /usr/sbin/nologin gramota

COPY --from=builder /opt/gramota /opt/gramota
COPY --from=contexts /ob3/contexts.json /opt/gramota/share/jsonld-contexts.json
COPY --chmod=0755 deploy/docker-entrypoint.sh /usr/local/bin/gramota-entrypoint

# PYTHONSAFEPATH: the working directory never lands on sys.path. HOME=/tmp: the only writable place
# when the root filesystem is read-only (Kubernetes mounts an emptyDir there).
ENV PATH=/opt/gramota/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONSAFEPATH=1 \
    HOME=/tmp \
    JSONLD_CONTEXTS=/opt/gramota/share/jsonld-contexts.json \
    GRPC_HOST=0.0.0.0 \
    GATEWAY_HOST=0.0.0.0

# numeric, so that Kubernetes' runAsNonRoot can verify it
USER 10001:10001
WORKDIR /tmp
EXPOSE 8000 50051 50052 50053 50054 9090
ENTRYPOINT ["/usr/bin/tini", "--", "/usr/local/bin/gramota-entrypoint"]
