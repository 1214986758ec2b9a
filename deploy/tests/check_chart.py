#!/usr/bin/env python3
"""Checks the Helm chart renders to sound Kubernetes manifests.

Renders with render_chart.py (or `helm template` output given with --manifests)
under several value sets and asserts what the chart promises: probes on the
right paths, memory computed from the model size, PVC, Secret, HPA on CPU and
waiting requests, PDB, selectors that match the pods. Exits 1 on the first
broken promise.
"""
import math
import os
import sys

import yaml

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from render_chart import render_chart  # noqa: E402

CHART = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "helm", "cellar")


def fail(msg):
    print("check_chart: " + msg, file=sys.stderr)
    sys.exit(1)


def manifests(sets):
    docs = []
    for name, text in render_chart(CHART, sets).items():
        for doc in yaml.safe_load_all(text):
            if doc is None:
                continue
            for key in ("apiVersion", "kind", "metadata"):
                if key not in doc:
                    fail("%s: rendered document without %s" % (name, key))
            if not doc["metadata"].get("name"):
                fail("%s: %s without metadata.name" % (name, doc["kind"]))
            docs.append(doc)
    return {d["kind"]: d for d in docs}


def expected_memory_mib(values):
    m, r = values["model"], values["resources"]
    return math.ceil((m["sizeGiB"] + m["kvCacheGiB"] + r["overheadGiB"]) * r["headroom"] * 1024)


def check_defaults():
    values = yaml.safe_load(open(os.path.join(CHART, "values.yaml")))
    chart = yaml.safe_load(open(os.path.join(CHART, "Chart.yaml")))
    for key in ("apiVersion", "name", "version", "appVersion"):
        if key not in chart:
            fail("Chart.yaml lacks " + key)
    if chart["apiVersion"] != "v2":
        fail("Chart.yaml apiVersion must be v2")
    k = manifests([])
    for kind in ("Deployment", "Service", "PersistentVolumeClaim", "HorizontalPodAutoscaler",
                 "PodDisruptionBudget", "ConfigMap"):
        if kind not in k:
            fail("default render lacks a " + kind)
    if "Secret" in k:
        fail("no API keys given, yet a Secret was rendered")
    dep = k["Deployment"]
    pod = dep["spec"]["template"]
    c = pod["spec"]["containers"][0]
    if c["readinessProbe"]["httpGet"]["path"] != "/ready":
        fail("readiness probe must GET /ready")
    if c["livenessProbe"]["httpGet"]["path"] != "/health":
        fail("liveness probe must GET /health")
    sp = c["startupProbe"]
    if sp["periodSeconds"] * sp["failureThreshold"] < 600:
        fail("startup probe allows under 10 minutes for loading a model")
    mem = c["resources"]["requests"]["memory"]
    if mem != "%dMi" % expected_memory_mib(values):
        fail("memory request %s, expected %dMi from the model size" % (mem, expected_memory_mib(values)))
    labels = pod["metadata"]["labels"]
    for kind, selector in (("Deployment", dep["spec"]["selector"]["matchLabels"]),
                           ("Service", k["Service"]["spec"]["selector"]),
                           ("PodDisruptionBudget", k["PodDisruptionBudget"]["spec"]["selector"]["matchLabels"])):
        if any(labels.get(key) != v for key, v in selector.items()):
            fail(kind + " selector does not match the pod labels")
    claim = next(v for v in pod["spec"]["volumes"] if v["name"] == "cellar-home")
    if claim["persistentVolumeClaim"]["claimName"] != k["PersistentVolumeClaim"]["metadata"]["name"]:
        fail("the pod does not mount the chart's PVC")
    mounts = {m["name"]: m["mountPath"] for m in c["volumeMounts"]}
    home = {e["name"]: e.get("value") for e in c["env"]}.get("CELLAR_HOME")
    if mounts.get("cellar-home") != home:
        fail("CELLAR_HOME is not the mounted volume")
    hpa = k["HorizontalPodAutoscaler"]
    kinds = {(m["type"], m["resource"]["name"] if m["type"] == "Resource" else m["pods"]["metric"]["name"])
             for m in hpa["spec"]["metrics"]}
    if kinds != {("Resource", "cpu"), ("Pods", "cellar_num_requests_waiting")}:
        fail("HPA must scale on cpu and cellar_num_requests_waiting, got %s" % sorted(kinds))
    if hpa["spec"]["scaleTargetRef"]["name"] != dep["metadata"]["name"]:
        fail("HPA does not target the Deployment")
    if "replicas" in dep["spec"]:
        fail("with autoscaling on, the Deployment must leave replicas to the HPA")
    suite = yaml.safe_load(k["ConfigMap"]["data"]["golden-suite.yaml"])
    if not suite.get("questions"):
        fail("the probe ConfigMap holds no golden questions")


def check_variants():
    import base64
    k = manifests(["apiKeys.keys=[alpha,beta]", "model.sizeGiB=40", "autoscaling.enabled=false",
                   "persistence.enabled=false", "server.probe.enabled=false", "resources.cpuLimit=8"])
    secret = k.get("Secret")
    if not secret or base64.b64decode(secret["data"]["CELLAR_API_KEYS"]).decode() != "alpha,beta":
        fail("API keys do not reach the Secret")
    c = k["Deployment"]["spec"]["template"]["spec"]["containers"][0]
    ref = next(e for e in c["env"] if e["name"] == "CELLAR_API_KEYS")["valueFrom"]["secretKeyRef"]["name"]
    if ref != secret["metadata"]["name"]:
        fail("the pod reads API keys from a Secret the chart did not create")
    if c["resources"]["requests"]["memory"] != "50996Mi":  # ceil((40 + 1 + 0.5) * 1.2 * 1024)
        fail("memory request does not follow model.sizeGiB: " + c["resources"]["requests"]["memory"])
    if c["resources"]["limits"]["cpu"] != "8":
        fail("cpu limit not applied")
    for kind in ("HorizontalPodAutoscaler", "PersistentVolumeClaim", "ConfigMap"):
        if kind in k:
            fail(kind + " rendered although disabled")
    if k["Deployment"]["spec"].get("replicas") != 2:
        fail("without autoscaling the Deployment must set replicas")
    if any(a.startswith("--probe-suite") for a in c["args"]):
        fail("probe flags passed although probes are disabled")


if __name__ == "__main__":
    check_defaults()
    check_variants()
    print("check_chart: default and variant renders OK")
