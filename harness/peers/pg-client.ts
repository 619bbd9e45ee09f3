import pg from 'pg';

/**
 * A plain client for the peers' own SQL (they are PostgreSQL tools; bench's engines are not involved),
 * named as the trial's tools are (CopyContext.toolApplicationName) so its COPY counts as the trial's.
 */
export async function withPgClient<T>(url: string, applicationName: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url, application_name: applicationName });
  client.on('error', () => undefined);
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}
