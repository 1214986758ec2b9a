#!/usr/bin/env node
// Turn-5 time-to-first-token with and without the prompt cache.
// A conversation of five turns is sent turn by turn (each request carries the
// whole history, as chat clients do); the server's prompt cache should then
// prefill only the new turn. The same fifth-turn request with a different
// first message (so no cached prefix matches) gives the uncached figure.
//   node bench/load/multiturn.mjs --url http://127.0.0.1:8080 --model bench --conversations 5
import { parseArgs } from 'node:util';

import { readEvents } from './sse.mjs';

const { values: a } = parseArgs({
  options: {
    url: { type: 'string', default: 'http://127.0.0.1:8080' },
    model: { type: 'string', default: 'demo' },
    conversations: { type: 'string', default: '5' },
    'max-tokens': { type: 'string', default: '48' },
    json: { type: 'boolean', default: false },
  },
});
const maxTokens = Number(a['max-tokens']);

const turns = [
  'Our clinic needs a rota for three nurses over one week. Each nurse works five days.',
  'Nurse Aminah cannot work on Mondays, and Nurse Lee prefers mornings. Adjust the plan.',
  'Now add a fourth nurse who only works weekends, and keep at least two nurses every day.',
  'Summarise the rota as a table with one row per day and the nurses on duty.',
  'Finally, list any day where the rule of at least two nurses is at risk and why.',
];

// One streamed chat request; resolves to {ttft_ms, reply}.
async function ask(messages) {
  const t0 = performance.now();
  const res = await fetch(`${a.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ model: a.model, messages, max_tokens: maxTokens, temperature: 0, stream: true }),
  });
  if (res.status !== 200) throw new Error(`HTTP ${res.status}: ${await res.text()}`);
  let ttft = null;
  let reply = '';
  await readEvents(res, (j) => {
    const delta = j.choices?.[0]?.delta;
    if (ttft === null && delta?.content) ttft = performance.now() - t0;  // the first text, not the role chunk
    reply += delta?.content ?? '';
  });
  return { ttft_ms: ttft ?? performance.now() - t0, reply };
}

const median = (v) => [...v].sort((x, y) => x - y)[Math.floor(v.length / 2)];
const cached = [];
const uncached = [];
let promptChars = 0;
for (let c = 0; c < Number(a.conversations); c++) {
  const history = [{ role: 'system', content: `Ward ${c}: you are the scheduling assistant.` }];
  let last = null;
  for (const turn of turns) {
    history.push({ role: 'user', content: turn });
    last = await ask(history);
    history.push({ role: 'assistant', content: last.reply });
  }
  cached.push(last.ttft_ms);
  history.pop();
  promptChars = JSON.stringify(history).length;
  // Same fifth turn, new first message: nothing cached matches.
  const cold = [{ role: 'system', content: `Annex ${c}: you are the scheduling assistant.` }, ...history.slice(1)];
  uncached.push((await ask(cold)).ttft_ms);
}
const out = {
  conversations: cached.length, turn5_prompt_chars: promptChars,
  turn5_ttft_cached_ms: median(cached), turn5_ttft_uncached_ms: median(uncached),
};
console.log(a.json ? JSON.stringify(out) : out);
