#!/usr/bin/env bash
# Helm chart: `helm lint` + `helm template` when helm is installed (Debian 12
# does not package it); always our own renderer + structural checks
# (deploy/tests/check_chart.py), and YAML parsing of every other deploy file.
set -euo pipefail
cd "$(dirname "$0")/../.."
py=python3
[ -x /usr/bin/python3 ] && py=/usr/bin/python3
if command -v helm >/dev/null; then
  helm lint deploy/helm/cellar
  helm template cellar deploy/helm/cellar >/dev/null
fi
"$py" deploy/tests/check_chart.py
"$py" - <<'PY'
import json, sys, yaml
for f in ["deploy/compose.yaml", "deploy/prometheus/prometheus.yml", "deploy/alertmanager/alertmanager.yml",
          "deploy/grafana/provisioning/datasources/prometheus.yaml",
          "deploy/grafana/provisioning/dashboards/cellar.yaml", "deploy/helm/prometheus-adapter-values.yaml",
          "examples/golden-suite.yaml"]:
    yaml.safe_load(open(f))
compose = yaml.safe_load(open("deploy/compose.yaml"))
assert set(compose["services"]) == {"cellar", "prometheus", "alertmanager", "grafana"}, compose["services"].keys()
dash = json.load(open("deploy/grafana/cellar.json"))
titles = " ".join(p["title"].lower() for p in dash["panels"])
for needed in ["requests", "tokens", "time to first token", "queue", "kv cache", "memory", "probe"]:
    assert needed in titles, "dashboard lacks a panel about " + needed
ids = [p["id"] for p in dash["panels"]]
assert len(ids) == len(set(ids)), "duplicate panel ids"
print("deploy files: YAML/JSON parse, compose services and dashboard panels OK")
PY
