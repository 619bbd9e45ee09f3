import { describe, expect, it } from 'vitest';
import { demuxLogs } from '../../../harness/providers/docker-engine.js';
import { launchModeOf, specHash } from '../../../harness/providers/docker.js';
import { parseMssqlUrl } from '../../../harness/engines/mssql-url.js';
import { mssqlRecipe, postgresRecipe, SELF_INIT_SCRIPT, settingArgs } from '../../../harness/providers/docker-recipes.js';

const base = { password: 'pw', dataDir: '/var/lib/postgresql/data', hostPort: 55532, imageUser: '' };

describe('docker launch modes', () => {
  it('follows the image: an entrypoint means entrypoint, none means self-init, a label decides over both', () => {
    expect(launchModeOf({ Config: { Entrypoint: ['docker-entrypoint.sh'] } } as never, postgresRecipe)).toBe('entrypoint');
    expect(launchModeOf({ Config: { Entrypoint: null } } as never, postgresRecipe)).toBe('self-init');
    expect(launchModeOf({ Config: { Entrypoint: [], Labels: { 'dev.bench.launch-mode': 'entrypoint' } } } as never, postgresRecipe)).toBe('entrypoint');
    expect(launchModeOf({ Config: { Entrypoint: ['x'] } } as never, postgresRecipe, 'self-init')).toBe('self-init');
    expect(() => launchModeOf({ Config: {} } as never, mssqlRecipe)).toThrow(/mssql images need an entrypoint/);
  });

  it('entrypoint mode passes settings as -c arguments and the password in the environment', () => {
    const l = postgresRecipe.launch({ ...base, mode: 'entrypoint', network: 'publish', settings: { work_mem: '8MB', fsync: 'off' } });
    expect(l.cmd).toEqual(['postgres', '-c', 'fsync=off', '-c', 'listen_addresses=*', '-c', 'work_mem=8MB']);
    expect(l.env).toContain('POSTGRES_PASSWORD=pw');
    expect(l.user).toBeUndefined();
  });

  it('host networking listens on loopback and the chosen port, which the user cannot override', () => {
    const l = postgresRecipe.launch({ ...base, mode: 'entrypoint', network: 'host', settings: { listen_addresses: '*', port: '1' } });
    expect(l.cmd).toEqual(['postgres', '-c', 'listen_addresses=127.0.0.1', '-c', 'port=55532']);
    expect(l.env).toContain('PGPORT=55532');
  });

  it('self-init runs its script as postgres with the settings after $0', () => {
    const l = postgresRecipe.launch({ ...base, mode: 'self-init', network: 'host', settings: { fsync: 'off' } });
    expect(l.cmd.slice(0, 4)).toEqual(['/bin/sh', '-c', SELF_INIT_SCRIPT, 'bench-postgres']);
    expect(l.cmd.slice(4)).toEqual(['-c', 'unix_socket_directories=/tmp', '-c', 'fsync=off', '-c', 'listen_addresses=127.0.0.1', '-c', 'port=55532']);
    expect(l.user).toBe('postgres');
    expect(l.env).toContain('BENCH_PASSWORD=pw');
    expect(SELF_INIT_SCRIPT).toMatch(/--pwfile=/);
  });

  it('settings come out sorted, so equal specs hash equally', () => {
    expect(settingArgs({ b: '2', a: '1' })).toEqual(['-c', 'a=1', '-c', 'b=2']);
    const h = (settings: Record<string, string>, cpus?: number) =>
      specHash({ engine: 'postgres', imageId: 'sha256:x', mode: 'self-init', network: 'host', settings, ...(cpus ? { cpus } : {}) });
    expect(h({ a: '1', b: '2' })).toBe(h({ b: '2', a: '1' }));
    expect(h({ a: '1' })).not.toBe(h({ a: '2' }));
    expect(h({ a: '1' })).not.toBe(h({ a: '1' }, 1));
  });

  it('URLs encode the password; mssql passwords meet the complexity rule', () => {
    expect(postgresRecipe.url('a/b', 5)).toBe('postgres://bench:a%2Fb@127.0.0.1:5/bench');
    expect(mssqlRecipe.password('abc')).toMatch(/[A-Z]/);
    // A SQL Server container serves a self-signed certificate: its URL trusts it and keeps encryption on.
    expect(parseMssqlUrl(mssqlRecipe.url('Pa ss:1', 14330))).toMatchObject({ host: '127.0.0.1', port: 14330, database: 'master', encrypt: true, trustServerCertificate: true, password: 'Pa ss:1' });
  });
});

describe('demuxLogs', () => {
  it('strips the 8-byte frame headers of a non-TTY log stream', () => {
    const frame = (type: number, text: string) => {
      const body = Buffer.from(text);
      const head = Buffer.alloc(8);
      head[0] = type;
      head.writeUInt32BE(body.length, 4);
      return Buffer.concat([head, body]);
    };
    expect(demuxLogs(Buffer.concat([frame(1, 'out\n'), frame(2, 'err\n')]))).toBe('out\nerr\n');
    expect(demuxLogs(Buffer.from('plain text'))).toBe('plain text');
  });
});
