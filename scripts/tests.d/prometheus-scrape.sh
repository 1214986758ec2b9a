#!/usr/bin/env bash
# A real Prometheus (Debian package) on loopback scrapes Cellar-format metrics
# and loads the alert rules; we then ask its HTTP API for the cellar_ series.
# Targets: the probe's --metrics-out file and the reference sample, served by a
# tiny HTTP server; set CELLAR_SCRAPE_TARGET=host:port to also scrape a running
# `cellar serve` (its series must then carry the same names and labels).
set -euo pipefail
cd "$(dirname "$0")/../.."
command -v prometheus >/dev/null || { echo "prometheus not installed (scripts/install-deps.sh)" >&2; exit 1; }
[ -x build/cellar ] || { echo "build/cellar missing: build first" >&2; exit 1; }
py=python3
[ -x /usr/bin/python3 ] && py=/usr/bin/python3

tmp=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$tmp"
}
trap cleanup EXIT

free_port() { "$py" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

mkdir -p "$tmp/www"
cp deploy/prometheus/sample-metrics.prom "$tmp/www/sample"
build/cellar probe --suite examples/golden-suite.yaml --url http://127.0.0.1:1 --timeout 2 \
  --metrics-out "$tmp/www/probe" >/dev/null 2>&1 || true
web_port=$(free_port)
"$py" -m http.server "$web_port" --bind 127.0.0.1 --directory "$tmp/www" >/dev/null 2>&1 &
pids+=($!)

extra=""
if [ -n "${CELLAR_SCRAPE_TARGET:-}" ]; then
  extra="  - job_name: cellar
    static_configs: [{targets: ['${CELLAR_SCRAPE_TARGET}']}]"
fi
cat > "$tmp/prometheus.yml" <<YAML
global: {scrape_interval: 1s, evaluation_interval: 1s}
rule_files: ['$PWD/deploy/prometheus/rules.yaml']
scrape_configs:
  - job_name: cellar-sample
    metrics_path: /sample
    static_configs: [{targets: ['127.0.0.1:$web_port']}]
  - job_name: cellar-probe
    metrics_path: /probe
    static_configs: [{targets: ['127.0.0.1:$web_port']}]
$extra
YAML
prom_port=$(free_port)
prometheus --config.file="$tmp/prometheus.yml" --storage.tsdb.path="$tmp/data" \
  --web.listen-address="127.0.0.1:$prom_port" >"$tmp/prometheus.log" 2>&1 &
pids+=($!)

api="http://127.0.0.1:$prom_port/api/v1"
query() { curl -fsS --get "$api/query" --data-urlencode "query=$1"; }
for _ in $(seq 1 60); do
  if query 'count(cellar_probe_passed) and count(cellar_http_requests_total)' 2>/dev/null | grep -q '"value"'; then
    break
  fi
  sleep 0.5
done

"$py" - "$api" <<'PY'
import json, sys, urllib.parse, urllib.request
api = sys.argv[1]
def q(expr):
    url = api + "/query?" + urllib.parse.urlencode({"query": expr})
    return json.load(urllib.request.urlopen(url))["data"]["result"]
def need(expr, labels):
    res = q(expr)
    assert res, "no series for " + expr
    for r in res:
        missing = [l for l in labels if l not in r["metric"]]
        assert not missing, "%s lacks labels %s: %s" % (expr, missing, r["metric"])
    return res
up = {r["metric"]["job"]: r["value"][1] for r in q("up")}
assert all(v == "1" for v in up.values()), "a target is down: %s" % up
probe = need('cellar_probe_passed{job="cellar-probe"}', ["suite", "question"])
assert {r["metric"]["question"] for r in probe} == {"capital", "arithmetic", "json-extract", "summary", "refusal"}
assert all(r["value"][1] == "0" for r in probe), "an unreachable server must read as failed"
need('cellar_http_requests_total', ["route", "status"])
need('cellar_time_to_first_token_seconds_bucket', ["model", "le"])
need('cellar_model_loaded_bytes', ["model", "version"])
need('cellar_probe_drift_score', ["suite", "question"])
need('cellar_probe_last_success_timestamp_seconds', ["suite"])
need('process_resident_memory_bytes', [])
if "cellar" in up:
    need('{job="cellar", __name__=~"cellar_.+"}', [])
rules = json.load(urllib.request.urlopen(api + "/rules"))["data"]["groups"]
names = {r["name"] for g in rules for r in g["rules"]}
assert "CellarProbeFailing" in names and "CellarIntegrityMismatch" in names, names
print("prometheus: scraped %d targets, cellar_ series and labels present, %d rules loaded" % (len(up), len(names)))
PY
