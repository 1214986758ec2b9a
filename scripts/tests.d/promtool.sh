#!/usr/bin/env bash
# Prometheus rules and metrics format: promtool check/test rules on
# deploy/prometheus, and promtool check metrics on both the reference sample
# and what `cellar probe --metrics-out` writes.
set -euo pipefail
cd "$(dirname "$0")/../.."
if ! command -v promtool >/dev/null; then
  echo "promtool not found (Debian package prometheus; scripts/install-deps.sh installs it)" >&2
  exit 1
fi
promtool check rules deploy/prometheus/rules.yaml
(cd deploy/prometheus && promtool test rules tests.yaml)
promtool check metrics < deploy/prometheus/sample-metrics.prom

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# The compose stack's Prometheus config, with the rules path as mounted there.
sed "s#/etc/prometheus/rules.yaml#$PWD/deploy/prometheus/rules.yaml#" deploy/prometheus/prometheus.yml > "$tmp/prometheus.yml"
promtool check config "$tmp/prometheus.yml"
# amtool comes with the optional Debian package prometheus-alertmanager.
if command -v amtool >/dev/null; then
  amtool check-config deploy/alertmanager/alertmanager.yml
fi

# The probe's own metrics file, from a run against a closed loopback port.
if [ -x build/cellar ]; then
  build/cellar probe --suite examples/golden-suite.yaml --url http://127.0.0.1:1 --timeout 2 \
    --metrics-out "$tmp/probe.prom" >/dev/null 2>&1 || true
  test -s "$tmp/probe.prom"
  promtool check metrics < "$tmp/probe.prom"
  grep -q '^cellar_probe_passed{suite="daily-golden",question="capital"} 0$' "$tmp/probe.prom"
fi

known=$(grep -o '^# TYPE [a-z_:]*' deploy/prometheus/sample-metrics.prom | awk '{print $3}')
# Every cellar_* metric the rules and the dashboard use must be one the server
# exposes (sample-metrics.prom lists them) or one the probe writes.
known="$known"$'\n'"cellar_probe_latency_seconds"$'\n'"cellar_probe_last_run_timestamp_seconds"
for m in $(grep -oh 'cellar_[a-z_]*' deploy/prometheus/rules.yaml deploy/grafana/cellar.json | sort -u); do
  base=${m%_bucket}
  if ! grep -qx "$base" <<<"$known"; then
    echo "$m is used by rules.yaml or cellar.json but not in sample-metrics.prom" >&2
    exit 1
  fi
done
echo "promtool: rules, rule tests and metrics OK"
