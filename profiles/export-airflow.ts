import type { Profile } from './profile.js';

/**
 * A profile's copy settings in Airflow's words, as a .env file (docker compose, Astro): Airflow's own
 * settings where one exists (AIRFLOW__SECTION__KEY), DAG parameters as Airflow Variables
 * (AIRFLOW_VAR_<NAME>, read with Variable.get) where none does, and the pool as the command that
 * creates it. Every line has its comment: what it is in Airflow and where bench's number comes from.
 */

/** How each strategy copies, in the terms of a DAG task that would do the same (psycopg 3 names). */
const howTasksCopy: Readonly<Record<string, string>> = {
  'native-bulk': "COPY … TO STDOUT (FORMAT binary) on the source piped into COPY … FROM STDIN on the target, bytes never decoded (psycopg 3: cursor.copy() on both sides)",
  'csv-buffer': 'read the whole table into a CSV file, then INSERT it in batches (the seeds\' baseline: the slowest, and it needs disk)',
  'direct-stream': 'a server-side cursor read in batches, each written as one multi-row INSERT',
  pipeline: 'a reader and a writer per task joined by a bounded queue (queue size below), multi-row INSERTs',
  chunked: 'keyset chunks by primary key, each INSERTed and committed on its own (chunk size below)',
  bcp: 'bcp out into a named pipe while bcp in loads from it (SQL Server to SQL Server)',
};

/** The copy-side numbers an orchestrator needs; a platform profile's own, else derived from the copy settings. */
export function orchestration(profile: Profile): {
  tasks: number;
  partitions: number;
  poolSize: number;
  parallelism: number;
  workerConcurrency: number;
  schedulerHeartbeatSec?: number;
  sqlAlchemyPoolSize?: number;
} {
  const p = profile.platform;
  const tasks = p?.airflow?.maxActiveTasksPerDag ?? p?.tasks ?? profile.copy.parallelism ?? 2;
  return {
    tasks,
    partitions: p?.partitions ?? profile.copy.partitions ?? 1,
    // The seeds: 16 connections per pool at 64 tasks (Mac), 8 at 8 tasks (WSL2).
    poolSize: p?.poolSize ?? profile.copy.poolSize ?? Math.min(tasks, 16),
    // The seeds run Airflow's global parallelism at twice the per-DAG task limit (128/64, 16/8).
    parallelism: p?.airflow?.parallelism ?? tasks * 2,
    workerConcurrency: p?.airflow?.workerConcurrency ?? tasks,
    ...(p?.airflow?.schedulerHeartbeatSec !== undefined ? { schedulerHeartbeatSec: p.airflow.schedulerHeartbeatSec } : {}),
    ...(p?.airflow?.sqlAlchemyPoolSize !== undefined ? { sqlAlchemyPoolSize: p.airflow.sqlAlchemyPoolSize } : {}),
  };
}

export function airflowEnv(profile: Profile): string {
  const o = orchestration(profile);
  const r = profile.recommendation;
  const strategy = profile.copy.strategy ?? 'native-bulk';
  const source = r
    ? `${r.winner ? "the sweep's winner" : 'the point'} ${r.point}${r.winner ? '' : ' of a sweep (chosen with --point, not the winner)'} (${Math.round(r.rowsPerSecond).toLocaleString('en-US')} rows/s, median of ${r.trials} trial${r.trials === 1 ? '' : 's'} on ${r.host})`
    : `profile ${profile.name} (a built-in starting point, not measured on this machine)`;
  const lines: string[] = [
    `# bench: Airflow settings for ${source}.`,
    '',
    "# Airflow's own settings (airflow.cfg [core], [celery]… as environment variables).",
    `# Task instances running at once in the whole installation: twice the copy tasks, so other DAGs keep as many slots${profile.platform?.airflow?.parallelism !== undefined ? " (the platform profile's number)" : ''}.`,
    `AIRFLOW__CORE__PARALLELISM=${o.parallelism}`,
    `# Task instances of one DAG running at once (a DAG's max_active_tasks overrides it): the copy tasks ${r ? 'the sweep ran' : 'the profile runs'} at once.`,
    `AIRFLOW__CORE__MAX_ACTIVE_TASKS_PER_DAG=${o.tasks}`,
    '# Task slots per Celery worker (CeleryExecutor only): one worker can run every copy task at once.',
    `AIRFLOW__CELERY__WORKER_CONCURRENCY=${o.workerConcurrency}`,
  ];
  if (o.schedulerHeartbeatSec !== undefined) {
    lines.push('# Seconds between scheduler heartbeats: shorter starts queued copy tasks sooner.', `AIRFLOW__SCHEDULER__SCHEDULER_HEARTBEAT_SEC=${o.schedulerHeartbeatSec}`);
  }
  if (o.sqlAlchemyPoolSize !== undefined) {
    lines.push("# Connections from Airflow to its own metadata database (not to the databases being copied).", `AIRFLOW__DATABASE__SQL_ALCHEMY_POOL_SIZE=${o.sqlAlchemyPoolSize}`);
  }
  lines.push(
    '',
    '# DAG parameters: not Airflow settings. AIRFLOW_VAR_<NAME> defines the Airflow Variable <name>; the copy DAG',
    '# reads it with Variable.get("bench_copy_strategy") or {{ var.value.bench_copy_strategy }}.',
    `# How each copy task moves rows: ${howTasksCopy[strategy] ?? strategy}.`,
    `AIRFLOW_VAR_BENCH_COPY_STRATEGY=${strategy}`,
    '# Copy tasks at once (the pool below enforces it): one task per table, or per key range of a split table.',
    `AIRFLOW_VAR_BENCH_COPY_PARALLELISM=${o.tasks}`,
    `# Key ranges each large table is split into, one task each (dynamic task mapping, .expand()); 1 copies tables whole.`,
    `AIRFLOW_VAR_BENCH_PARTITIONS_PER_TABLE=${o.partitions}`,
    `# Connections each database pool may hold (psycopg_pool max_size; one pool per database, source and target alike): ${o.poolSize < o.tasks ? 'fewer than the copy tasks, so tasks queue for a connection' : 'one per copy task at once'}.`,
    `AIRFLOW_VAR_BENCH_DB_POOL_SIZE=${o.poolSize}`,
  );
  if (strategy !== 'native-bulk' && strategy !== 'bcp' && profile.copy.batchSize !== undefined) {
    lines.push('# Rows per multi-row INSERT.', `AIRFLOW_VAR_BENCH_BATCH_SIZE=${profile.copy.batchSize}`);
  }
  if (strategy === 'native-bulk' && profile.copy.copyFormat) lines.push('# COPY format on both sides (binary: no text parsing).', `AIRFLOW_VAR_BENCH_COPY_FORMAT=${profile.copy.copyFormat}`);
  if (strategy === 'pipeline' && profile.copy.queueSize) lines.push("# Rows the queue between a task's reader and writer holds.", `AIRFLOW_VAR_BENCH_QUEUE_SIZE=${profile.copy.queueSize}`);
  if (strategy === 'chunked' && profile.copy.chunkSize) lines.push('# Rows per committed chunk.', `AIRFLOW_VAR_BENCH_CHUNK_SIZE=${profile.copy.chunkSize}`);
  if (profile.copy.constraints) {
    const when = { after: 'after the load (a task downstream of every copy task)', overlap: "each table's as soon as its copy tasks are done (a task downstream of that table's copies); foreign keys after every copy", before: 'before the load (copy tables in foreign-key order)', none: 'not at all' }[profile.copy.constraints];
    lines.push(`# When keys, indexes and foreign keys are created: ${when}.`, `AIRFLOW_VAR_BENCH_CONSTRAINTS=${profile.copy.constraints}`);
  }
  lines.push(
    '',
    '# Airflow pool (created once, not by an environment variable): caps the copy tasks across all DAG runs at',
    '# the number above. Create it, then give every copy task pool="bench_copy":',
    `#   airflow pools set bench_copy ${o.tasks} "copy tasks at once (bench: ${r ? r.point : profile.name})"`,
  );
  return `${lines.join('\n')}\n`;
}
