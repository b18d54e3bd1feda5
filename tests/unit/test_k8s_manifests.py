"""The Kubernetes manifests: every overlay renders and validates (deploy/k8s_check.sh), and the rendered
production overlay keeps the properties the deployment relies on."""
import os
import re
import subprocess
from pathlib import Path

import pytest
import yaml

from gramota.shared import topics

ROOT = Path(__file__).resolve().parents[2]
SCHEMAS = Path(os.environ.get("K8S_SCHEMAS", ROOT.parent / "shared" / "k8s-schemas"))


@pytest.fixture(scope="module")
def rendered(tmp_path_factory) -> Path:
    """Runs the whole check once; its rendered overlays are kept for the assertions below."""
    if not SCHEMAS.is_dir():
        pytest.skip(f"no CRD schemas at {SCHEMAS}: shared/ is not beside the repository")
    out = tmp_path_factory.mktemp("k8s")
    check = subprocess.run(
        ["bash", str(ROOT / "deploy" / "k8s_check.sh")],
        env={**os.environ, "K8S_RENDER_DIR": str(out), "K8S_SCHEMAS": str(SCHEMAS)},
        capture_output=True, text=True, timeout=300,
    )
    assert check.returncode == 0, f"deploy/k8s_check.sh failed:\n{check.stdout}\n{check.stderr}"
    return out


@pytest.fixture(scope="module")
def prod(rendered) -> list[dict]:
    return [d for d in yaml.safe_load_all((rendered / "prod.yaml").read_text()) if d]


def of_kind(objects: list[dict], kind: str) -> dict[str, dict]:
    return {o["metadata"]["name"]: o for o in objects if o["kind"] == kind}


def test_every_overlay_renders_and_validates(rendered):
    assert {"dev.yaml", "prod.yaml"} <= {p.name for p in rendered.iterdir()}


def test_every_deployment_is_probed_limited_and_locked_down(prod):
    deployments = of_kind(prod, "Deployment")
    assert set(deployments) == {"testbank", "sessions", "scoring", "certificates", "gateway"}
    for name, d in deployments.items():
        pod = d["spec"]["template"]["spec"]
        assert pod["securityContext"]["runAsNonRoot"] is True, name
        assert pod["securityContext"]["seccompProfile"]["type"] == "RuntimeDefault", name
        assert pod["automountServiceAccountToken"] is False, name
        for c in pod["containers"]:
            for probe in ("startupProbe", "readinessProbe", "livenessProbe"):
                assert probe in c, f"{name}: no {probe}"
            assert {"cpu", "memory"} <= set(c["resources"]["limits"]), name
            assert {"cpu", "memory"} <= set(c["resources"]["requests"]), name
            sc = c["securityContext"]
            assert sc["readOnlyRootFilesystem"] is True, name
            assert sc["allowPrivilegeEscalation"] is False, name
            assert sc["capabilities"]["drop"] == ["ALL"], name
            assert "/tmp" in {m["mountPath"] for m in c["volumeMounts"]}, f"{name}: no writable /tmp"


def test_grpc_services_are_probed_on_the_port_they_listen_on(prod):
    config = next(iter(of_kind(prod, "ConfigMap").values()))["data"]
    for name, d in of_kind(prod, "Deployment").items():
        if name == "gateway":
            continue
        port = int(config[f"{name.upper()}_ADDR"].rsplit(":", 1)[1])
        c = d["spec"]["template"]["spec"]["containers"][0]
        assert {"name": "grpc", "containerPort": port} in c["ports"], name
        assert c["readinessProbe"]["grpc"]["port"] == port, name


def test_production_settings_are_production(prod):
    config = next(iter(of_kind(prod, "ConfigMap").values()))["data"]
    assert config["GRAMOTA_ENV"] == "prod"
    assert not of_kind(prod, "Secret"), "production secrets never come from the repository"


def test_every_kafka_topic_has_three_replicas_and_two_in_sync(prod):
    kafka_topics = of_kind(prod, "KafkaTopic")
    assert kafka_topics
    for name, t in kafka_topics.items():
        assert t["spec"]["replicas"] == 3, name
        assert int(t["spec"]["config"]["min.insync.replicas"]) == 2, name


def test_kafka_topics_are_the_ones_the_code_names(prod):
    declared = {t["spec"]["topicName"]: t["spec"]["partitions"] for t in of_kind(prod, "KafkaTopic").values()}
    assert declared == {t.name: t.partitions for t in topics.ALL_TOPICS}


def test_consumer_autoscaling_stops_at_the_partition_count(prod):
    hpas = of_kind(prod, "HorizontalPodAutoscaler")
    assert hpas["scoring"]["spec"]["maxReplicas"] <= topics.ATTEMPTS.partitions
    assert hpas["certificates"]["spec"]["maxReplicas"] <= topics.RESULTS.partitions
    assert all(h["spec"]["minReplicas"] >= 2 for h in hpas.values())
    # under an autoscaler, a replica count in the Deployment would be reset by every `kubectl apply`
    assert all("replicas" not in d["spec"] for d in of_kind(prod, "Deployment").values())


def test_each_service_may_use_only_its_own_topics_and_group(prod):
    users = of_kind(prod, "KafkaUser")
    for service, group in (("sessions", topics.GROUP_SESSIONS), ("scoring", topics.GROUP_SCORING),
                           ("certificates", topics.GROUP_CERTIFICATES)):
        acls = users[f"gramota-{service}"]["spec"]["authorization"]["acls"]
        assert {"type": "group", "name": group, "patternType": "literal"} in [a["resource"] for a in acls]
        assert not any(a["resource"]["patternType"] == "prefix" or "All" in a["operations"] for a in acls), service


def test_images_are_pinned():
    compose = (ROOT / "deploy" / "compose.yaml").read_text()
    for image in re.findall(r"^\s+image: (\S+)$", compose, re.M):
        assert image.startswith("${") or re.search(r":\d+(\.\d+)+", image), f"compose image not pinned: {image}"
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert re.search(r"^ARG PYTHON_IMAGE=python:3\.11\.\d+-slim-bookworm", dockerfile, re.M)
