import { createServer } from 'node:net';

/** True when nothing listens on 127.0.0.1:port (we only ever bind loopback). */
export function isPortFree(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen({ port, host, exclusive: true }, () => {
      server.close(() => resolve(true));
    });
  });
}

/**
 * The first free port at or above `start`, skipping `taken`. Predictable ports (55432, 55433, …) are
 * friendlier than ephemeral ones: a user can psql into the source without looking it up.
 */
export async function findFreePort(start: number, taken: ReadonlySet<number> = new Set()): Promise<number> {
  for (let port = start; port < start + 1000 && port < 65536; port++) {
    if (taken.has(port)) continue;
    if (await isPortFree(port)) return port;
  }
  throw new Error(`no free TCP port on 127.0.0.1 between ${start} and ${start + 999}`);
}
