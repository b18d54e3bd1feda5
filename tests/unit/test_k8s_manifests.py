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
# shared/k8s-schemas beside the repository, or beside a folder above it (a git worktree of it)
SCHEMAS = Path(os.environ.get("K8S_SCHEMAS") or next(
    (d / "shared" / "k8s-schemas" for d in ROOT.parents if (d / "shared" / "k8s-schemas").is_dir()),
    ROOT.parent / "shared" / "k8s-schemas"))


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


def known_settings() -> set[str]:
    """Every environment variable some service's settings read."""
    from gramota.gateway.settings import GatewaySettings
    from gramota.shared.settings import ServiceSettings

    names: set[str] = set()
    for cls in (ServiceSettings, GatewaySettings, *ServiceSettings.__subclasses__()):
        names |= {f.validation_alias for f in cls.model_fields.values() if isinstance(f.validation_alias, str)}
    return names


def test_the_shared_settings_are_ones_the_services_read(prod):
    config = next(iter(of_kind(prod, "ConfigMap").values()))["data"]
    assert set(config) <= known_settings(), "a setting no service reads (misspelt?)"


def test_every_pod_serves_metrics_on_the_port_prometheus_scrapes(prod):
    config = next(iter(of_kind(prod, "ConfigMap").values()))["data"]
    port = int(config["METRICS_PORT"])
    services = of_kind(prod, "Service")
    monitored = {}
    for monitor in of_kind(prod, "ServiceMonitor").values():
        wanted = monitor["spec"]["selector"]["matchLabels"]
        for name, s in services.items():
            if wanted.items() <= s["metadata"]["labels"].items():
                monitored[name] = {e["port"] for e in monitor["spec"]["endpoints"]}
    for name, d in of_kind(prod, "Deployment").items():
        c = d["spec"]["template"]["spec"]["containers"][0]
        assert {"name": "metrics", "containerPort": port} in c["ports"], name
        assert {"name": "metrics", "port": port, "targetPort": "metrics"} in services[name]["spec"]["ports"], name
        assert monitored.get(name) == {"metrics"}, f"{name}: scraped on {monitored.get(name)}"
    # the public port never serves them: the Ingress routes only the gateway's http port
    for ingress in of_kind(prod, "Ingress").values():
        for rule in ingress["spec"]["rules"]:
            assert {p["backend"]["service"]["port"]["name"] for p in rule["http"]["paths"]} == {"http"}


def test_internal_grpc_services_are_headless_for_round_robin(prod):
    config = next(iter(of_kind(prod, "ConfigMap").values()))["data"]
    services = of_kind(prod, "Service")
    for name in ("testbank", "sessions", "scoring", "certificates"):
        host, port = config[f"{name.upper()}_ADDR"].rsplit(":", 1)
        assert host == name, "the address is the Service's name"
        assert services[name]["spec"]["clusterIP"] == "None", f"{name}: a ClusterIP pins each client to one pod"
        assert {"name": "grpc", "port": int(port), "targetPort": "grpc", "appProtocol": "kubernetes.io/h2c"} in \
            services[name]["spec"]["ports"]


def test_every_kafka_client_logs_in_as_its_own_kafka_user(prod):
    config = next(iter(of_kind(prod, "ConfigMap").values()))["data"]
    assert config["KAFKA_SECURITY_PROTOCOL"] == "SASL_SSL" and config["KAFKA_SASL_MECHANISM"] == "SCRAM-SHA-512"
    users = of_kind(prod, "KafkaUser")
    pods = {n: d["spec"]["template"]["spec"] for n, d in of_kind(prod, "Deployment").items()}
    pods["topics"] = of_kind(prod, "Job")["gramota-topics"]["spec"]["template"]["spec"]
    for name in ("testbank", "sessions", "scoring", "certificates", "topics"):
        container = pods[name]["containers"][0]
        env = {e["name"]: e for e in container["env"]}
        user = env["KAFKA_SASL_USERNAME"]["value"]
        assert user == f"gramota-{name}" and user in users, name
        assert users[user]["spec"]["authentication"]["type"] == "scram-sha-512"
        # Strimzi writes the user's password into a Secret named after the user
        assert env["KAFKA_SASL_PASSWORD"]["valueFrom"]["secretKeyRef"] == {"name": user, "key": "password"}, name
        # the cluster CA is mounted where KAFKA_SSL_CAFILE points
        mounts = {m["name"]: m["mountPath"] for m in container["volumeMounts"]}
        volumes = {v["name"]: v for v in pods[name]["volumes"]}
        assert config["KAFKA_SSL_CAFILE"] == mounts["kafka-ca"] + "/ca.crt", name
        assert volumes["kafka-ca"]["secret"]["secretName"] == "gramota-cluster-ca-cert", name
    # the gateway reads no topic: it has no Kafka user
    assert "KAFKA_SASL_USERNAME" not in {e["name"] for e in pods["gateway"]["containers"][0]["env"]}


def exported_metrics() -> set[str]:
    """The series names the services' metrics produce (a histogram's _bucket/_count/_sum, a counter's _total)."""
    import prometheus_client

    import gramota.certificates.rendering  # noqa: F401  (each import registers that module's metrics)
    import gramota.gateway.app  # noqa: F401
    import gramota.shared.metrics  # noqa: F401

    suffixes = {"histogram": ("_bucket", "_count", "_sum"), "counter": ("_total",), "gauge": ("",)}
    return {family.name + suffix for family in prometheus_client.REGISTRY.collect()
            for suffix in suffixes.get(family.type, ())}


def test_dashboard_and_alerts_use_the_metrics_the_services_export():
    import json

    dashboard = json.loads((ROOT / "deploy" / "grafana" / "gramota-dashboard.json").read_text())
    exprs = [t["expr"] for p in dashboard["panels"] for t in p.get("targets", [])]
    exprs += [v["query"]["query"] for v in dashboard["templating"]["list"] if isinstance(v.get("query"), dict)]
    monitoring = [d for d in yaml.safe_load_all((ROOT / "k8s" / "base" / "monitoring.yaml").read_text()) if d]
    exprs += [r["expr"] for d in monitoring if d["kind"] == "PrometheusRule" for g in d["spec"]["groups"] for r in g["rules"]]
    used = {name for e in exprs for name in re.findall(r"\bgramota_[a-z_]+", e)}
    assert used and used <= exported_metrics(), f"not exported by any service: {used - exported_metrics()}"


def test_every_pod_gets_the_shared_secrets_from_the_secret_made_outside_the_repository(prod):
    pods = {n: d["spec"]["template"]["spec"] for n, d in of_kind(prod, "Deployment").items()}
    pods |= {n: j["spec"]["template"]["spec"] for n, j in of_kind(prod, "Job").items()}
    for name, pod in pods.items():
        env = {e["name"]: e.get("valueFrom", {}).get("secretKeyRef") for e in pod["containers"][0]["env"]}
        for variable, key in (("GRAMOTA_INTERNAL_TOKEN", "internal-token"), ("GRAMOTA_IDENTITY_KEY", "identity-key")):
            assert env.get(variable) == {"name": "gramota-secrets", "key": key}, f"{name}: {variable}"
