#!/usr/bin/env bash
# `make run`: serve a model on http://127.0.0.1:8080. Until Cellar ships a
# trained default model, a small random-weight demo model is generated with
# `cellar synth` on first run: the server and its APIs are real, the text is not.
# Environment: DEMO_MODEL (file), DEMO_SHAPE / DEMO_TYPE (synth shape and
# type), HOST, PORT, CELLAR_SERVE_ARGS (extra flags for `cellar serve`).
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=build/cellar
CELLAR_HOME=${CELLAR_HOME:-$HOME/.cellar}
DEMO_MODEL=${DEMO_MODEL:-$CELLAR_HOME/demo/tinyllama-demo-q4_0.gguf}
DEMO_SHAPE=${DEMO_SHAPE:-tiny}
DEMO_TYPE=${DEMO_TYPE:-Q4_0}
HOST=${HOST:-127.0.0.1}
PORT=${PORT:-8080}
NAME=demo

[ -x "$BIN" ] || { echo "run-demo: $BIN is missing; run 'make build'" >&2; exit 1; }

if [ ! -f "$DEMO_MODEL" ]; then
  echo "run-demo: generating a demo model at $DEMO_MODEL (cellar synth --shape $DEMO_SHAPE --type $DEMO_TYPE)"
  mkdir -p "$(dirname "$DEMO_MODEL")"
  "$BIN" synth --arch llama --shape "$DEMO_SHAPE" --type "$DEMO_TYPE" -o "$DEMO_MODEL.tmp"
  mv "$DEMO_MODEL.tmp" "$DEMO_MODEL"
fi

cat <<MSG

  NOTE: the demo model has RANDOM weights: its replies are gibberish. It shows
  the server working (OpenAI and Ollama APIs, streaming, metrics), not a model.
  To serve a real model, pass any Llama-family GGUF file:
      build/cellar serve --model mymodel=/path/to/model.gguf

  Server:   http://$HOST:$PORT        (model name: "$NAME")
  Ready:    curl http://$HOST:$PORT/ready
  Try:
    curl http://$HOST:$PORT/v1/chat/completions \\
      -H 'Content-Type: application/json' \\
      -d '{"model":"$NAME","messages":[{"role":"user","content":"Hello!"}],"max_tokens":32}'
  OpenAI SDK (Python):
    from openai import OpenAI
    client = OpenAI(base_url="http://$HOST:$PORT/v1", api_key="unused")
    print(client.chat.completions.create(model="$NAME", max_tokens=32,
          messages=[{"role": "user", "content": "Hello!"}]).choices[0].message.content)
  Ollama:   curl http://$HOST:$PORT/api/chat -d '{"model":"$NAME","messages":[{"role":"user","content":"Hello!"}]}'
  Metrics:  curl http://$HOST:$PORT/metrics
  Stop with Ctrl-C (in-flight requests finish first).

MSG

# shellcheck disable=SC2086
exec "$BIN" serve --model "$NAME=$DEMO_MODEL" --host "$HOST" --port "$PORT" --ctx 2048 ${CELLAR_SERVE_ARGS:-}
