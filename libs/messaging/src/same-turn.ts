/**
 * Sends of one turn of the event loop, made together at its end.
 *
 * The `nats` client writes what it has queued when the current microtasks
 * are done, so each request or reply made in its own callback (an HTTP
 * request read, a database answer) is a write system call of its own, which
 * wakes nats-server once per message. Under load several of them are ready
 * in one turn: deferred to the turn's end (`setImmediate`, after every ready
 * socket has been read), they are queued back to back and leave in one write.
 * Order is kept; the wait is the rest of the turn, not a timer.
 */
let queued: Array<() => void> = [];

export function sendThisTurn(send: () => void): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    queued.push(() => {
      try {
        send();
        resolve();
      } catch (error) {
        reject(error as Error);
      }
    });
    if (queued.length === 1) setImmediate(sendQueued);
  });
}

function sendQueued(): void {
  const sends = queued;
  queued = [];
  for (const send of sends) send();
}
