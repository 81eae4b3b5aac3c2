import http from 'node:http';

/** One Server-Sent Event. */
export interface ServerEvent {
  event: string;
  data: string;
}

/** A client for a Server-Sent Events endpoint, for tests: waits (bounded) for an event that matches. */
export interface EventStream {
  next(match: (e: ServerEvent) => boolean, timeoutMs?: number): Promise<ServerEvent>;
  close(): void;
}

/** Connects to `url` (an event-stream endpoint on 127.0.0.1) and collects its events. */
export function openEventStream(url: string): Promise<EventStream> {
  return new Promise((resolve, reject) => {
    const events: ServerEvent[] = [];
    const waiters = new Set<() => void>();
    const req = http.get(url, (res) => {
      if (res.statusCode !== 200) return reject(new Error(`event stream answered ${res.statusCode}`));
      let buffer = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buffer += chunk;
        let end: number;
        while ((end = buffer.indexOf('\n\n')) !== -1) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const lines = block.split('\n');
          const event = lines.find((l) => l.startsWith('event: '))?.slice(7) ?? 'message';
          const data = lines.filter((l) => l.startsWith('data: ')).map((l) => l.slice(6)).join('\n');
          if (lines.some((l) => l.startsWith('data: '))) events.push({ event, data });
        }
        for (const wake of waiters) wake();
      });
      resolve({
        next(match, timeoutMs = 60_000) {
          return new Promise((done, fail) => {
            const check = (): void => {
              const i = events.findIndex(match);
              if (i === -1) return;
              const [found] = events.splice(0, i + 1).slice(-1);
              waiters.delete(check);
              clearTimeout(timer);
              done(found!);
            };
            const timer = setTimeout(() => {
              waiters.delete(check);
              fail(new Error(`no matching event within ${timeoutMs} ms; got ${JSON.stringify(events)}`));
            }, timeoutMs);
            waiters.add(check);
            check();
          });
        },
        close: () => req.destroy(),
      });
    });
    req.on('error', reject);
  });
}
