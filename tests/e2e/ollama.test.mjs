// cellar serve through the official `ollama` npm client.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Ollama } from 'ollama';
import { baseUrl, model } from './helpers.mjs';

const ollama = new Ollama({ host: baseUrl });

test('chat, not streamed', async () => {
  const r = await ollama.chat({ model, messages: [{ role: 'user', content: 'Hi' }], options: { num_predict: 8, temperature: 0 } });
  assert.equal(r.message.role, 'assistant');
  assert.equal(typeof r.message.content, 'string');
  assert.equal(r.done, true);
  assert.ok(['stop', 'length'].includes(r.done_reason));
  assert.ok(r.eval_count > 0 && r.eval_count <= 8);
  assert.ok(r.prompt_eval_count > 0);
  assert.ok(r.total_duration > 0);
});

test('chat, streamed, equals the non-streamed text', async () => {
  const req = { model, messages: [{ role: 'user', content: 'Hi' }], options: { num_predict: 10, temperature: 0 } };
  const whole = await ollama.chat(req);
  const parts = await ollama.chat({ ...req, stream: true });
  let text = '';
  let last;
  for await (const part of parts) {
    text += part.message.content;
    last = part;
  }
  assert.equal(text, whole.message.content);
  assert.equal(last.done, true);
  assert.equal(last.eval_count, whole.eval_count);
});

test('generate, streamed and not', async () => {
  const r = await ollama.generate({ model, prompt: 'Once upon a time', raw: true, options: { num_predict: 6, temperature: 0 } });
  assert.equal(typeof r.response, 'string');
  assert.equal(r.done, true);
  let text = '';
  for await (const part of await ollama.generate({ model, prompt: 'Once upon a time', raw: true, stream: true, options: { num_predict: 6, temperature: 0 } })) {
    text += part.response;
  }
  assert.equal(text, r.response);
});

test('list, show, ps and embed', async () => {
  const list = await ollama.list();
  assert.ok(list.models.some((m) => m.name === `${model}:latest`));
  const show = await ollama.show({ model });
  assert.equal(show.details.format, 'gguf');
  const ps = await ollama.ps();
  assert.ok(ps.models.length >= 1);
  const e = await ollama.embed({ model, input: ['a', 'b'] });
  assert.equal(e.embeddings.length, 2);
});

test('concurrent chats all complete', async () => {
  const all = await Promise.all(Array.from({ length: 6 }, () =>
    ollama.chat({ model, messages: [{ role: 'user', content: 'Hi' }], options: { num_predict: 4 } })));
  for (const r of all) assert.equal(r.done, true);
});

test('errors surface as ResponseError with the status', async () => {
  await assert.rejects(ollama.chat({ model: 'no-such-model', messages: [{ role: 'user', content: 'x' }] }), (e) => {
    assert.equal(e.name, 'ResponseError');
    assert.equal(e.status_code, 404);
    assert.match(e.error, /does not exist/);
    return true;
  });
  await assert.rejects(ollama.generate({ model, prompt: 'x', options: { temperature: 'hot' } }), (e) => {
    assert.equal(e.status_code, 400);
    return true;
  });
});
