import { describe, expect, it } from 'vitest';
import { airflowEnv, confValue, postgresqlConf, profileJson } from '../../../profiles/export.js';
import { builtInProfileNames, loadProfile, parseByteSize, profileSchema } from '../../../profiles/profile.js';

describe('built-in profiles', () => {
  it('every built-in profile, platform ones included, passes the schema', () => {
    const names = builtInProfileNames();
    expect(names).toEqual(expect.arrayContaining(['bulk-load', 'native-arm', 'wsl2-docker-desktop', 'native-x86-linux', 'ci-small']));
    for (const n of names) expect(loadProfile(n).name).toBe(n);
  });

  it('platform profiles carry the seeds’ numbers', () => {
    const mac = loadProfile('native-arm');
    expect(mac.platform).toMatchObject({ kind: 'native-arm', tasks: 64, partitions: 12, poolSize: 16, docker: { cpus: 6, memory: '4GB' } });
    const wsl = loadProfile('wsl2-docker-desktop');
    expect(wsl.platform).toMatchObject({ tasks: 8, partitions: 8, poolSize: 8 });
    expect(wsl.sweep?.parallelism).toContain(8);
    expect(parseByteSize(mac.platform!.docker!.memory)).toBe(4 * 2 ** 30);
  });

  it('old profiles without platform or sweep still parse (backward compatible)', () => {
    const r = profileSchema.safeParse({ name: 'old', server: { both: { fsync: 'off' } } });
    expect(r.success).toBe(true);
    expect(profileSchema.safeParse({ name: 'x', sweep: { strategies: [], parallelism: [1] } }).success).toBe(false);
  });
});

describe('profile export', () => {
  it('airflow-env for the Mac profile is the seeds’ block', () => {
    expect(airflowEnv(loadProfile('native-arm'))).toBe(
      [
        '# bench profile native-arm: Airflow settings for the same machine',
        'AIRFLOW__CORE__PARALLELISM=128',
        'AIRFLOW__CORE__MAX_ACTIVE_TASKS_PER_DAG=64',
        'AIRFLOW__CELERY__WORKER_CONCURRENCY=64',
        'AIRFLOW__SCHEDULER__SCHEDULER_HEARTBEAT_SEC=5',
        'AIRFLOW__DATABASE__SQL_ALCHEMY_POOL_SIZE=10',
        'MAX_PARTITIONS=12',
        'PG_POOL_MAXCONN=16',
        '',
      ].join('\n'),
    );
    const wsl = airflowEnv(loadProfile('wsl2-docker-desktop'));
    expect(wsl).toMatch(/^AIRFLOW__CORE__PARALLELISM=16$/m);
    expect(wsl).toMatch(/^AIRFLOW__CORE__MAX_ACTIVE_TASKS_PER_DAG=8$/m);
    expect(wsl).toMatch(/^MAX_PARTITIONS=8$/m);
    expect(wsl).toMatch(/^PG_POOL_MAXCONN=8$/m);
  });

  it('airflow-env derives from copy.parallelism when a profile has no platform section', () => {
    expect(airflowEnv(loadProfile('bulk-load'))).toMatch(/AIRFLOW__CORE__PARALLELISM=4\nAIRFLOW__CORE__MAX_ACTIVE_TASKS_PER_DAG=2\n/);
  });

  it('postgresql-conf quotes what needs quoting and separates role settings', () => {
    expect(confValue('200')).toBe('200');
    expect(confValue('1GB')).toBe("'1GB'");
    expect(confValue("it's")).toBe("'it''s'");
    const p = profileSchema.parse({ name: 't', server: { both: { shared_buffers: '1GB', max_connections: 200 }, target: { synchronous_commit: 'off' } } });
    expect(postgresqlConf(p)).toBe(
      "# bench profile t\nmax_connections = 200\nshared_buffers = '1GB'\n# target server only (export with --role target to include them):\n# synchronous_commit = 'off'\n",
    );
    expect(postgresqlConf(p, { role: 'target' })).toBe("# bench profile t (target server)\nmax_connections = 200\nshared_buffers = '1GB'\nsynchronous_commit = 'off'\n");
    expect(JSON.parse(profileJson(p))).toEqual(p);
  });
});
