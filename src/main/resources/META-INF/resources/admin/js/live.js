// Live audit events over the server-sent event stream (GET /admin/v1/events/stream). EventSource cannot
// send an Authorization header, so the stream is read with fetch and parsed here; it reconnects with a
// growing pause when the connection drops (a restart, a network blip).

export class LiveEvents {
  constructor(api, onEvent, onState) {
    this.api = api;
    this.onEvent = onEvent;
    this.onState = onState;
    this.abort = new AbortController();
  }

  start() {
    this.loop();
    return this;
  }

  stop() {
    this.abort.abort();
  }

  async loop() {
    let pause = 500;
    while (!this.abort.signal.aborted) {
      try {
        this.onState('connecting');
        const response = await fetch('/admin/v1/events/stream', {
          headers: { Authorization: this.api.authorization, Accept: 'text/event-stream', 'X-Requested-With': 'XMLHttpRequest' },
          signal: this.abort.signal,
        });
        if (!response.ok) throw new Error(`HTTP ${response.status}`);
        this.onState('live');
        pause = 500;
        await this.read(response.body);
      } catch (e) {
        if (this.abort.signal.aborted) return;
      }
      this.onState('offline');
      await new Promise((resolve) => setTimeout(resolve, pause));
      pause = Math.min(pause * 2, 15000);
    }
  }

  async read(body) {
    const reader = body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buffer += value.replace(/\r\n?/g, '\n');
      let end;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        this.dispatch(buffer.slice(0, end));
        buffer = buffer.slice(end + 2);
      }
    }
  }

  dispatch(block) {
    const data = block.split('\n').filter((line) => line.startsWith('data:'))
      .map((line) => line.slice(5).replace(/^ /, '')).join('\n');
    if (!data) return;
    try {
      this.onEvent(JSON.parse(data));
    } catch { /* a malformed event is skipped, the stream goes on */ }
  }
}
