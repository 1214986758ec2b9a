#!/usr/bin/env node
// Load generator for `cellar serve`: for each concurrency level, N clients
// send streaming chat completions back to back for a fixed time and we report
// throughput and time-to-first-token / end-to-end percentiles.
//   node bench/load/load.mjs --url http://127.0.0.1:8080 --model demo \
//        --levels 1,8,32 --seconds 20 --max-tokens 64
// Uses only node's built-in fetch (no dependencies).
import { parseArgs } from 'node:util';

import { readEvents } from './sse.mjs';

const { values: a } = parseArgs({
  options: {
    url: { type: 'string', default: 'http://127.0.0.1:8080' },
    model: { type: 'string', default: 'demo' },
    levels: { type: 'string', default: '1,8,32' },
    seconds: { type: 'string', default: '20' },
    'max-tokens': { type: 'string', default: '64' },
    prompt: { type: 'string', default: 'Write a short story about a lighthouse keeper.' },
    json: { type: 'boolean', default: false },
  },
});
const levels = a.levels.split(',').map(Number);
const seconds = Number(a.seconds);
const maxTokens = Number(a['max-tokens']);

function percentile(sorted, p) {
  if (!sorted.length) return NaN;
  const i = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, i)];
}

// One streamed request: returns {ttft, e2e, tokens} in seconds, or {status} on an HTTP error.
async function one(i) {
  const t0 = performance.now();
  const res = await fetch(`${a.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({
      model: a.model,
      messages: [{ role: 'user', content: `${a.prompt} (${i})` }],
      max_tokens: maxTokens,
      stream: true,
      stream_options: { include_usage: true },
    }),
  });
  if (res.status !== 200) {
    await res.text();
    return { status: res.status };
  }
  let ttft = null;
  let tokens = 0;
  await readEvents(res, (j) => {
    if (ttft === null && j.choices?.[0]?.delta?.content) ttft = (performance.now() - t0) / 1000;
    if (j.usage) tokens = j.usage.completion_tokens;
  });
  return { ttft, e2e: (performance.now() - t0) / 1000, tokens };
}

async function level(n) {
  const stopAt = performance.now() + seconds * 1000;
  const results = [];
  let rejected = 0;
  const t0 = performance.now();
  await Promise.all(Array.from({ length: n }, async (_, w) => {
    for (let i = 0; performance.now() < stopAt; i++) {
      const r = await one(w * 100000 + i);
      if (r.status) rejected++;
      else results.push(r);
    }
  }));
  const wall = (performance.now() - t0) / 1000;
  const ttfts = results.map((r) => r.ttft).filter((x) => x !== null).sort((x, y) => x - y);
  const e2es = results.map((r) => r.e2e).sort((x, y) => x - y);
  const tokens = results.reduce((s, r) => s + r.tokens, 0);
  return {
    clients: n, requests: results.length, rejected, seconds: wall,
    req_per_s: results.length / wall, tokens_per_s: tokens / wall,
    ttft_p50_ms: percentile(ttfts, 50) * 1000, ttft_p99_ms: percentile(ttfts, 99) * 1000,
    e2e_p50_ms: percentile(e2es, 50) * 1000, e2e_p99_ms: percentile(e2es, 99) * 1000,
  };
}

const rows = [];
for (const n of levels) rows.push(await level(n));
if (a.json) {
  console.log(JSON.stringify(rows, null, 2));
} else {
  const f = (x, d = 1) => (Number.isFinite(x) ? x.toFixed(d) : '-');
  console.log('| clients | requests | 429s | req/s | gen tokens/s | TTFT p50 ms | TTFT p99 ms | e2e p50 ms | e2e p99 ms |');
  console.log('|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const r of rows) {
    console.log(`| ${r.clients} | ${r.requests} | ${r.rejected} | ${f(r.req_per_s, 2)} | ${f(r.tokens_per_s)} | ` +
      `${f(r.ttft_p50_ms)} | ${f(r.ttft_p99_ms)} | ${f(r.e2e_p50_ms)} | ${f(r.e2e_p99_ms)} |`);
  }
}
