// With PostgreSQL, replicas take turns: a cycle runs only while holding a session advisory lock on
// a dedicated connection, so two replicas never reconcile the same target at the same time.
import pg from 'pg';
import type { CycleLock } from './reconciler';

/** Advisory lock id of the silencer ("opsdsile" in ASCII), shared by every replica. */
export const SILENCER_LOCK_ID = '8030045010871807077';

export class PostgresCycleLock implements CycleLock {
  private client: pg.Client | null = null;

  constructor(private readonly connectionString: string) {}

  private async connection(): Promise<pg.Client> {
    if (this.client) return this.client;
    const client = new pg.Client({ connectionString: this.connectionString });
    // A dropped connection releases the lock on the server; forget it and reconnect next cycle.
    client.on('error', () => {
      if (this.client === client) this.client = null;
    });
    await client.connect();
    this.client = client;
    return client;
  }

  async tryAcquire(): Promise<boolean> {
    try {
      const client = await this.connection();
      const res = await client.query<{ locked: boolean }>(
        'SELECT pg_try_advisory_lock($1::bigint) AS locked',
        [SILENCER_LOCK_ID],
      );
      return res.rows[0]?.locked === true;
    } catch (err) {
      await this.close();
      throw err;
    }
  }

  async release(): Promise<void> {
    try {
      await this.client?.query('SELECT pg_advisory_unlock($1::bigint)', [SILENCER_LOCK_ID]);
    } catch {
      // The connection is gone, and with it the lock.
      await this.close();
    }
  }

  async close(): Promise<void> {
    const client = this.client;
    this.client = null;
    await client?.end().catch(() => undefined);
  }
}
