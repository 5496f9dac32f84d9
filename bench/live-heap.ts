/**
 * The live heap of a service: a full garbage collection through the V8
 * inspector, then `process.memoryUsage().heapUsed`. What RSS cannot tell:
 * V8 lets garbage pile up in the old generation between full collections,
 * so resident memory climbs under load and drops again at the next one; only
 * the heap that survives a full collection says whether memory leaks.
 *
 * The service runs with `--inspect=127.0.0.1:<port>` (benchmarks only); this
 * talks the Chrome DevTools Protocol over Node's WebSocket client (run the
 * bench with `--experimental-websocket` on Node 20).
 */
export async function liveHeapMb(inspectorPort: number): Promise<number> {
  const targets = (await (await fetch(`http://127.0.0.1:${inspectorPort}/json/list`)).json()) as { webSocketDebuggerUrl: string }[];
  const socket = new WebSocket(targets[0].webSocketDebuggerUrl);
  await new Promise<void>((resolve, reject) => {
    socket.addEventListener('open', () => resolve(), { once: true });
    socket.addEventListener('error', () => reject(new Error(`inspector on port ${inspectorPort} refused`)), { once: true });
  });
  let nextId = 0;
  const send = (method: string, params: object = {}) =>
    new Promise<{ result?: { result?: { value?: unknown } } }>((resolve) => {
      const id = ++nextId;
      const onMessage = (message: MessageEvent) => {
        const reply = JSON.parse(String(message.data));
        if (reply.id !== id) return;
        socket.removeEventListener('message', onMessage);
        resolve(reply);
      };
      socket.addEventListener('message', onMessage);
      socket.send(JSON.stringify({ id, method, params }));
    });
  try {
    await send('HeapProfiler.collectGarbage');
    const reply = await send('Runtime.evaluate', { expression: 'process.memoryUsage().heapUsed', returnByValue: true });
    return Math.round(Number(reply.result?.result?.value) / 1048576);
  } finally {
    socket.close();
  }
}
