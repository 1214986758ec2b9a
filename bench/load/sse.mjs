// Server-sent events of a streamed OpenAI response: calls onData(json) for each
// `data:` event before `[DONE]` (shared by load.mjs and multiturn.mjs).
export async function readEvents(res, onData) {
  let buf = '';
  const decoder = new TextDecoder();
  for await (const chunk of res.body) {
    buf += decoder.decode(chunk, { stream: true });
    let end;
    while ((end = buf.indexOf('\n\n')) >= 0) {
      const event = buf.slice(0, end);
      buf = buf.slice(end + 2);
      if (!event.startsWith('data: ') || event === 'data: [DONE]') continue;
      onData(JSON.parse(event.slice(6)));
    }
  }
}
