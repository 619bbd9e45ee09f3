import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type Docker from 'dockerode';
import { BenchError, throwIfAborted } from '../base/errors.js';
import { log } from '../base/log.js';

/**
 * Talking to the Docker engine: where it is, whether it answers, images (inspect, pull with progress),
 * and container logs. Nothing here knows about roles or databases.
 */

/**
 * `new Docker()` reads DOCKER_HOST (unix://, npipe://, tcp://, ssh://), DOCKER_TLS_VERIFY and
 * DOCKER_CERT_PATH through docker-modem's defaults, and otherwise uses ~/.docker/run/docker.sock
 * (newer Docker Desktop) or /var/run/docker.sock. This names the same place for messages.
 */
export function dockerEndpoint(env: NodeJS.ProcessEnv = process.env): string {
  if (env.DOCKER_HOST) return env.DOCKER_HOST;
  const user = join(homedir(), '.docker', 'run', 'docker.sock');
  return `unix://${existsSync(user) ? user : '/var/run/docker.sock'}`;
}

/**
 * dockerode (CommonJS) is loaded with the first client, not when bench starts: ~0.2 s that a command
 * without Docker never pays.
 */
export function newDockerClient(): Docker {
  const DockerClass = createRequire(import.meta.url)('dockerode') as typeof Docker;
  return new DockerClass();
}

/** The engine's own message in a dockerode error (`err.json.message`), else the error's first line. */
export function dockerMessage(err: unknown): string {
  if (typeof err === 'object' && err !== null) {
    const e = err as { json?: { message?: unknown } | null; reason?: string; message?: string; code?: string };
    if (e.json && typeof e.json.message === 'string') return e.json.message.trim();
    if (e.code && e.message) return e.message.split('\n')[0]!.trim();
    if (e.message) return e.message.replace(/^\(HTTP code \d+\) [^-]*- /, '').split('\n')[0]!.trim();
  }
  return String(err);
}

export function statusCodeOf(err: unknown): number | undefined {
  return typeof err === 'object' && err !== null && typeof (err as { statusCode?: unknown }).statusCode === 'number'
    ? (err as { statusCode: number }).statusCode
    : undefined;
}

/** True, or why the engine cannot be used. A ping that hangs (a dead TCP endpoint) counts as unreachable. */
export async function pingEngine(docker: Docker, timeoutMs = 5000): Promise<true | string> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      docker.ping(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer in ${timeoutMs / 1000} s`)), timeoutMs);
      }),
    ]);
    return true;
  } catch (err) {
    return (
      `Docker engine not reachable at ${dockerEndpoint()} (${dockerMessage(err)}): ` +
      'start it (test/docker/start-engine.sh) or use --provider native'
    );
  } finally {
    clearTimeout(timer);
  }
}

export type PullPolicy = 'missing' | 'never';
export const pullPolicies: readonly PullPolicy[] = ['missing', 'never'];

/** The image's inspect data, pulling it first when it is missing and the policy allows. */
export async function ensureImage(
  docker: Docker,
  ref: string,
  policy: PullPolicy,
  signal: AbortSignal,
): Promise<Docker.ImageInspectInfo> {
  try {
    return await docker.getImage(ref).inspect();
  } catch (err) {
    if (statusCodeOf(err) !== 404) throw new BenchError(`could not inspect image ${ref}: ${dockerMessage(err)}`);
  }
  const fix = 'build it with test/docker/build-postgres-image.sh or pass --image';
  if (policy === 'never') {
    throw new BenchError(`image ${ref} not found locally and pulling is off (BENCH_DOCKER_PULL=never); ${fix}`);
  }
  try {
    await pullImage(docker, ref, signal);
  } catch (err) {
    throwIfAborted(signal);
    throw new BenchError(`image ${ref} not found locally and cannot be pulled: ${dockerMessage(err)}; ${fix}`, { cause: err });
  }
  return docker.getImage(ref).inspect();
}

interface PullEvent {
  status?: string;
  id?: string;
  error?: string;
  errorDetail?: { message?: string };
  progressDetail?: { current?: number; total?: number };
}

/** Pulls with one self-overwriting progress line: bytes downloaded over all layers. */
async function pullImage(docker: Docker, ref: string, signal: AbortSignal): Promise<void> {
  log.info(`pulling image ${ref}`);
  const started = Date.now();
  // An unreachable registry makes this reject at once (HTTP 500) before any stream exists.
  const stream = (await docker.pull(ref)) as NodeJS.ReadableStream & { destroy?: () => void };
  const onAbort = (): void => stream.destroy?.();
  signal.addEventListener('abort', onAbort, { once: true });
  const layers = new Map<string, { current: number; total: number }>();
  try {
    const output = await new Promise<PullEvent[]>((resolve, reject) => {
      docker.modem.followProgress(
        stream,
        (err: Error | null, out: PullEvent[]) => (err ? reject(err) : resolve(out)),
        (ev: PullEvent) => {
          if (ev.id && ev.status === 'Downloading' && ev.progressDetail?.total) {
            layers.set(ev.id, { current: ev.progressDetail.current ?? 0, total: ev.progressDetail.total });
            let cur = 0;
            let tot = 0;
            for (const l of layers.values()) {
              cur += l.current;
              tot += l.total;
            }
            log.status(`pulling ${ref}: ${(cur / 1e6).toFixed(0)} / ${(tot / 1e6).toFixed(0)} MB (${layers.size} layers)`);
          }
        },
      );
    });
    // followProgress reports success even when the pull failed: the failure is an event in the output.
    const bad = output.find((e) => e.error);
    if (bad) throw new Error(bad.errorDetail?.message ?? bad.error);
  } finally {
    signal.removeEventListener('abort', onAbort);
    log.clearStatus();
  }
  log.info(`pulled ${ref} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

/**
 * Docker's log stream without a TTY is multiplexed: each frame is an 8-byte header (stream type, 3 zero
 * bytes, big-endian length) followed by the payload.
 */
export function demuxLogs(buf: Buffer): string {
  const parts: Buffer[] = [];
  let i = 0;
  while (i + 8 <= buf.length) {
    const type = buf[i]!;
    const size = buf.readUInt32BE(i + 4);
    if (type > 2 || buf[i + 1] !== 0 || buf[i + 2] !== 0 || buf[i + 3] !== 0) return buf.toString('utf8'); // not multiplexed
    parts.push(buf.subarray(i + 8, i + 8 + size));
    i += 8 + size;
  }
  return Buffer.concat(parts).toString('utf8');
}

/** The container's last log lines (stdout and stderr), for error messages. */
export async function lastLogLines(container: Docker.Container, lines = 15): Promise<string[]> {
  try {
    const raw = (await container.logs({ stdout: true, stderr: true, follow: false, tail: lines })) as unknown as Buffer;
    return demuxLogs(Buffer.isBuffer(raw) ? raw : Buffer.from(String(raw)))
      .split('\n')
      .map((l) => l.trimEnd())
      .filter(Boolean);
  } catch {
    return [];
  }
}
