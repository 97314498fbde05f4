// The webhook benchmark's receivers: `count` plain node:http servers on free ports, in a process of
// their own so they do not share the dispatcher's event loop. Each answers 204 at once and notes
// when each event id arrived (performance.timeOrigin + now(): comparable across processes). Driven
// over IPC: it sends { ready, urls } once listening; 'report' answers { arrivals }, 'reset' forgets.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export type ReceiverMessage = { ready: true; urls: string[] } | { arrivals: Record<string, number[]>; requests: number };

const count = Number(process.argv[2] ?? 100);
const clock = (): number => performance.timeOrigin + performance.now();
let arrivals: Record<string, number[]> = {};
let requests = 0;

const servers: Server[] = Array.from({ length: count }, () =>
  createServer((request, response) => {
    const at = clock();
    const eventId = String(request.headers['x-lapor-event-id'] ?? 'none');
    request.resume();
    request.on('end', () => {
      requests++;
      (arrivals[eventId] ??= []).push(at);
      response.writeHead(204).end();
    });
  }),
);

async function main(): Promise<void> {
  const urls = await Promise.all(
    servers.map(
      (server, index) =>
        new Promise<string>((resolve) =>
          server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}/receiver-${index}`)),
        ),
    ),
  );
  process.send!({ ready: true, urls } satisfies ReceiverMessage);
  process.on('message', (message: string) => {
    if (message === 'report') process.send!({ arrivals, requests } satisfies ReceiverMessage);
    if (message === 'reset') {
      arrivals = {};
      requests = 0;
    }
    if (message === 'exit') {
      for (const server of servers) server.closeAllConnections();
      process.exit(0);
    }
  });
}

void main();
