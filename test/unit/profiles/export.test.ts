import { describe, expect, it } from 'vitest';
import { airflowEnv, confValue, postgresqlConf, profileJson, unappliedSettings } from '../../../profiles/export.js';
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

/** Each KEY=VALUE line of an env file with the comment lines right above it. */
function envEntries(text: string): Map<string, { value: string; comment: string }> {
  const lines = text.split('\n');
  const out = new Map<string, { value: string; comment: string }>();
  lines.forEach((line, i) => {
    const m = /^([A-Z0-9_]+)=(.*)$/.exec(line);
    if (!m) return;
    const comment: string[] = [];
    for (let j = i - 1; j >= 0 && lines[j]!.startsWith('#'); j--) comment.unshift(lines[j]!);
    out.set(m[1]!, { value: m[2]!, comment: comment.join('\n') });
  });
  return out;
}

describe('profile export', () => {
  it('airflow-env for the Mac profile carries the seeds’ numbers, each under a comment, as Airflow settings or named DAG parameters', () => {
    const env = airflowEnv(loadProfile('native-arm'));
    const entries = envEntries(env);
    expect(Object.fromEntries([...entries].map(([k, v]) => [k, v.value]))).toEqual({
      AIRFLOW__CORE__PARALLELISM: '128',
      AIRFLOW__CORE__MAX_ACTIVE_TASKS_PER_DAG: '64',
      AIRFLOW__CELERY__WORKER_CONCURRENCY: '64',
      AIRFLOW__SCHEDULER__SCHEDULER_HEARTBEAT_SEC: '5',
      AIRFLOW__DATABASE__SQL_ALCHEMY_POOL_SIZE: '10',
      AIRFLOW_VAR_BENCH_COPY_STRATEGY: 'native-bulk',
      AIRFLOW_VAR_BENCH_COPY_PARALLELISM: '64',
      // The seeds' MAX_PARTITIONS=12 and PG_POOL_MAXCONN=16, named as the DAG parameters they are.
      AIRFLOW_VAR_BENCH_PARTITIONS_PER_TABLE: '12',
      AIRFLOW_VAR_BENCH_DB_POOL_SIZE: '16',
      AIRFLOW_VAR_BENCH_COPY_FORMAT: 'binary',
      AIRFLOW_VAR_BENCH_CONSTRAINTS: 'after',
    });
    // Every value has its own comment; nothing is named like an Airflow setting that is not one.
    for (const [key, { comment }] of entries) expect(comment, key).toMatch(/^# \S/);
    expect(env).not.toMatch(/^(MAX_PARTITIONS|PG_POOL_MAXCONN)=/m);
    expect(entries.get('AIRFLOW__DATABASE__SQL_ALCHEMY_POOL_SIZE')!.comment).toMatch(/metadata database \(not to the databases being copied\)/);
    expect(entries.get('AIRFLOW_VAR_BENCH_DB_POOL_SIZE')!.comment).toMatch(/fewer than the copy tasks/);
    expect(env).toMatch(/^# DAG parameters: not Airflow settings\. AIRFLOW_VAR_<NAME> defines the Airflow Variable <name>/m);
    // The pool is created with Airflow's CLI, not by an environment variable.
    expect(env).toMatch(/^# {3}airflow pools set bench_copy 64 "copy tasks at once \(bench: native-arm\)"$/m);
    const wsl = envEntries(airflowEnv(loadProfile('wsl2-docker-desktop')));
    expect(wsl.get('AIRFLOW__CORE__PARALLELISM')!.value).toBe('16');
    expect(wsl.get('AIRFLOW__CORE__MAX_ACTIVE_TASKS_PER_DAG')!.value).toBe('8');
    expect(wsl.get('AIRFLOW_VAR_BENCH_PARTITIONS_PER_TABLE')!.value).toBe('8');
    expect(wsl.get('AIRFLOW_VAR_BENCH_DB_POOL_SIZE')!.value).toBe('8');
  });

  it('airflow-env derives from copy.parallelism when a profile has no platform section, and names the strategy', () => {
    const env = envEntries(airflowEnv(loadProfile('bulk-load')));
    expect(env.get('AIRFLOW__CORE__PARALLELISM')!.value).toBe('4');
    expect(env.get('AIRFLOW__CORE__MAX_ACTIVE_TASKS_PER_DAG')!.value).toBe('2');
    expect(env.get('AIRFLOW_VAR_BENCH_COPY_STRATEGY')).toEqual({ value: 'native-bulk', comment: expect.stringMatching(/COPY … TO STDOUT \(FORMAT binary\) on the source piped into COPY … FROM STDIN/) });
    const rows = envEntries(airflowEnv(profileSchema.parse({ name: 'r', copy: { strategy: 'pipeline', parallelism: 4, batchSize: 2000, queueSize: 500 } })));
    expect(rows.get('AIRFLOW_VAR_BENCH_BATCH_SIZE')!.value).toBe('2000');
    expect(rows.get('AIRFLOW_VAR_BENCH_QUEUE_SIZE')!.value).toBe('500');
    expect(rows.has('AIRFLOW_VAR_BENCH_COPY_FORMAT')).toBe(false);
  });

  it('postgresql-conf quotes what needs quoting and separates role settings', () => {
    expect(confValue('200')).toBe('200');
    expect(confValue('1GB')).toBe("'1GB'");
    expect(confValue("it's")).toBe("'it''s'");
    const p = profileSchema.parse({ name: 't', server: { both: { shared_buffers: '1GB', max_connections: 200 }, target: { synchronous_commit: 'off' } } });
    const shared = postgresqlConf(p);
    expect(settingLines(shared)).toEqual(['max_connections = 200', "shared_buffers = '1GB'"]);
    expect(shared).toMatch(/^# target server only \(export with --role target to include them\): synchronous_commit = 'off'$/m);
    expect(settingLines(postgresqlConf(p, { role: 'target' }))).toEqual(['max_connections = 200', "shared_buffers = '1GB'", "synchronous_commit = 'off'"]);
    expect(JSON.parse(profileJson(p))).toEqual(p);
  });

  it('postgresql-conf explains every setting: what it does, bulk-load default with the value to undo to, restart, risk', () => {
    const conf = postgresqlConf(loadProfile('bulk-load'), { role: 'target' });
    const blocks = conf.trimEnd().split('\n\n').slice(1);
    expect(blocks.map((b) => b.split('\n').at(-1))).toEqual(settingLines(conf));
    for (const block of blocks) {
      const [does, status] = block.split('\n');
      expect(does).toMatch(/^# [a-z_]+: \S.*\.$/);
      expect(status).toMatch(/^# bulk-load default, not measured on this machine: undo after the load \(back to .+\)/);
    }
    expect(conf).toMatch(/# bulk-load default, not measured on this machine: undo after the load \(back to 128MB\); takes effect at a restart\.\nshared_buffers = '1GB'/);
    expect(conf).toMatch(/# RISK: a crash loses the commits of the last moments.*\nsynchronous_commit = 'off'/);
    expect(conf).toMatch(/^# Apply: save this file next to postgresql\.conf/m);
    expect(conf).toMatch(/^#   include 'bench-load\.conf'$/m);
  });

  it('never applies fsync-class or wal_level settings silently: they are written commented out with the risk', () => {
    const p = profileSchema.parse({ name: 'reckless', server: { both: { fsync: 'off', full_page_writes: 'off', wal_level: 'minimal', max_wal_senders: 0, work_mem: '64MB', my_ext_setting: 'x' } } });
    const conf = postgresqlConf(p);
    expect(settingLines(conf)).toEqual(["my_ext_setting = 'x'", "work_mem = '64MB'"]);
    for (const name of ['fsync', 'full_page_writes', 'wal_level', 'max_wal_senders']) {
      expect(conf).toMatch(new RegExp(`# RISK: .*NOT applied: uncomment the line below only if you accept that\\.\\n# ${name} = `));
    }
    expect(unappliedSettings(p)).toEqual(['fsync', 'full_page_writes', 'max_wal_senders', 'wal_level']);
    // A setting bench has no note on is still explained: where it came from, and how to find the value to undo to.
    expect(conf).toMatch(/# my_ext_setting: set by the profile; bench has no note on this setting.*\n.*\(back to your server's value before the load \(SHOW my_ext_setting\)\)/);
  });
});

/** The lines a server applies: not comments, not blank. */
function settingLines(conf: string): string[] {
  return conf.split('\n').filter((l) => l !== '' && !l.startsWith('#'));
}
