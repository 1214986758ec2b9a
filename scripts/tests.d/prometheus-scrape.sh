#!/usr/bin/env bash
# A real Prometheus (Debian package) on loopback scrapes Cellar-format metrics
# and loads the alert rules; we then ask its HTTP API for the cellar_ series.
# Targets: a real `cellar serve` on a synth model (started here, one request
# sent so every family has samples), the probe's --metrics-out file and the
# reference sample. CELLAR_SCRAPE_TARGET=host:port scrapes another server instead.
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

if [ -z "${CELLAR_SCRAPE_TARGET:-}" ]; then
  build/cellar synth --shape tiny --type Q8_0 -t 1 -o "$tmp/demo.gguf" 2>/dev/null
  serve_port=$(free_port)
  CELLAR_HOME="$tmp/home" build/cellar serve --host 127.0.0.1 --port "$serve_port" --model "demo=$tmp/demo.gguf" \
    -t 1 --ctx 256 --parallel 2 >"$tmp/serve.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 1 100); do curl -fsS "http://127.0.0.1:$serve_port/ready" >/dev/null 2>&1 && break; sleep 0.2; done
  curl -fsS "http://127.0.0.1:$serve_port/v1/completions" -H 'Content-Type: application/json' \
    -d '{"model":"demo","prompt":"hello","max_tokens":4}' >/dev/null
  CELLAR_SCRAPE_TARGET="127.0.0.1:$serve_port"
fi
extra="  - job_name: cellar
    static_configs: [{targets: ['${CELLAR_SCRAPE_TARGET}']}]"
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
# Prometheus staggers first scrapes across targets: wait until every job has
# delivered a sample (a loaded CI machine can take tens of seconds).
ready='count(cellar_probe_passed{job="cellar-probe"}) and count(cellar_probe_drift_score{job="cellar-sample"})'
ready="$ready"' and count(cellar_generation_tokens_total{job="cellar"})'
for _ in $(seq 1 180); do
  if query "$ready" 2>/dev/null | grep -q '"value"'; then
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
assert "cellar" in up, "the cellar serve target was not scraped"
need('cellar_http_requests_total{job="cellar"}', ["route", "status"])
need('cellar_generation_tokens_total{job="cellar"}', ["model"])
need('cellar_time_to_first_token_seconds_bucket{job="cellar"}', ["model", "le"])
need('cellar_model_loaded_bytes{job="cellar"}', ["model", "version"])
need('cellar_num_requests_running{job="cellar"}', ["model"])
rules = json.load(urllib.request.urlopen(api + "/rules"))["data"]["groups"]
names = {r["name"] for g in rules for r in g["rules"]}
assert "CellarProbeFailing" in names and "CellarIntegrityMismatch" in names, names
print("prometheus: scraped %d targets, cellar_ series and labels present, %d rules loaded" % (len(up), len(names)))
PY
