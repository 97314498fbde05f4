import { Backoff } from '@lapor/background';
import { counter, METRIC } from '@lapor/metrics';
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Client, type ClientConfig, type Pool, type PoolClient, type QueryConfig } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { PLANNED_PER_CALL, type SqlQueryable, type SqlRunner, type TableFill } from './runner';

// A second between tries, as long as it takes: raise maxMs for the pause to grow.
const RECONNECT_DELAY = { firstMs: 1_000, maxMs: 1_000 };

/**
 * Every parameterised statement runs as a named prepared statement, so each pooled connection parses
 * and plans it once. The name is a hash of the text: stores sharing a pool cannot clash. A statement
 * marked PLANNED_PER_CALL runs unnamed, so the server plans it for the parameters of each call.
 */
const statementNames = new Map<string, string>();
function prepared(sql: string, params: readonly unknown[]): QueryConfig {
  if (sql.startsWith(PLANNED_PER_CALL)) return { text: sql, values: [...params] };
  let name = statementNames.get(sql);
  if (name === undefined) {
    name = `lapor_es_${createHash('sha1').update(sql).digest('hex').slice(0, 20)}`;
    statementNames.set(sql, name);
  }
  return { name, text: sql, values: [...params] };
}

/**
 * How long a pooled connection may sit idle before the pool closes it. pg-pool's default, 10 s, emptied
 * every pool in a lull of that length; the traffic after it then paid, mid-request, for opening
 * connections again (a server process started, authentication) and for each statement's first
 * preparation and first plans on each of them: the distributed bench's first step after its 10 s idle
 * step answered 20 complaints/s with a p99 of 106–156 ms in four runs of four, and 49 ms with the
 * connections kept (then 40/s: 33 ms). A pool's idle connections cost the server little (a process
 * each, up to the pool's size), so they are kept for ten minutes, past a night-time lull's gaps between
 * requests. Pools opened with it also let a process exit while they are idle (`allowExitOnIdle`): a
 * command-line run or a test that is done does not wait ten minutes for the pool's timer.
 */
const POOL_IDLE_MS = 600_000;

/** The pg Pool options every long-lived process's pool on a server takes (see POOL_IDLE_MS). */
export const SERVER_POOL_OPTIONS = { idleTimeoutMillis: POOL_IDLE_MS, allowExitOnIdle: true } as const;

/**
 * Round trips to the server, counted as they are sent (/metrics): what a request or a read side costs
 * the database is a number of statements more than anything else (bench:distributed reads it per step).
 */
let sent: { statement: () => void; transactionControl: () => void } | undefined;
function counted(): NonNullable<typeof sent> {
  if (sent) return sent;
  const statements = counter(METRIC.dbStatements, 'Statements this process sent to the PostgreSQL server, each a round trip, by kind', ['kind']);
  const [statement, control] = [statements.labels('statement'), statements.labels('transaction_control')];
  sent = { statement: () => statement.inc(), transactionControl: () => control.inc() };
  return sent;
}

function queryable(client: Pool | PoolClient): SqlQueryable {
  return {
    async query<Row>(sql: string, params: readonly unknown[] = []) {
      counted().statement();
      const result = await client.query(prepared(sql, params));
      return result.rows as Row[];
    },
    async exec(sql: string) {
      counted().statement();
      await client.query(sql);
    },
  };
}

/** The `pg` driver: a pool for statements, one dedicated connection for LISTEN. */
/** Connections that already carry the no-op 'error' listener (a pool may be shared by several runners). */
const guarded = new WeakSet<PoolClient>();
const ignoreDrop = (): void => undefined;

export function createPgRunner(pool: Pool, options: { ownsPool: boolean }): SqlRunner {
  const listener = new PgListener(pool.options);
  // A connection the server drops while checked out emits 'error' with nobody listening (the pool
  // only listens to idle ones), which would crash the process; the query in flight fails anyway.
  // The listener goes on as the pool hands the connection out: waiting until `connect()` resumes
  // leaves a gap in which a drop arriving with the hand-over goes unheard.
  pool.on('acquire', (client) => {
    if (guarded.has(client)) return;
    guarded.add(client);
    client.on('error', ignoreDrop);
  });
  return {
    ...queryable(pool),
    async transaction(fn) {
      const client = await pool.connect();
      try {
        counted().transactionControl();
        await client.query('BEGIN');
        const result = await fn(queryable(client));
        counted().transactionControl();
        await client.query('COMMIT');
        client.release();
        return result;
      } catch (error) {
        // A connection that cannot roll back is broken: destroy it rather than return it to the pool.
        counted().transactionControl();
        await client.query('ROLLBACK').then(
          () => client.release(),
          (rollbackError: Error) => client.release(rollbackError),
        );
        throw error;
      }
    },
    listen: (channel, onNotify) => listener.listen(channel, onNotify),
    notify: (channel, payload) => listener.notify(channel, payload),
    async copyRows(table, columns, text) {
      // a connection for the one statement: loaders side by side never hold the pool between chunks
      const client = await pool.connect();
      try {
        await pipeline(Readable.from([text]), client.query(copyFrom(`COPY ${table} (${columns.join(', ')}) FROM STDIN`)));
      } catch (error) {
        // a COPY cut off midway leaves the connection in no state to reuse
        client.release(error as Error);
        throw error;
      }
      client.release();
    },
    fillTable: (table, columns) => new FrozenFill(pool.options, table, columns),
    async close() {
      await listener.close();
      if (options.ownsPool) await pool.end();
    },
  };
}

/**
 * A table filled over a connection of its own, outside the pool: the transaction stays open from the
 * first chunk to the commit (a whole rebuild's reading), and a rebuild fills several tables at once
 * (ten for the statistics), more than a pool holds. TRUNCATE first, in the same transaction, is what
 * lets COPY write the rows frozen (PostgreSQL requires the table created or emptied by the copying
 * transaction).
 */
class FrozenFill implements TableFill {
  private client: Promise<Client> | undefined;
  private ended = false;

  constructor(
    private readonly config: ClientConfig,
    private readonly table: string,
    private readonly columns: readonly string[],
  ) {}

  async copy(text: string): Promise<void> {
    const client = await (this.client ??= this.open());
    const copy = copyFrom(`COPY ${this.table} (${this.columns.join(', ')}) FROM STDIN WITH (FREEZE)`);
    await pipeline(Readable.from([text]), client.query(copy));
  }

  async commit(): Promise<void> {
    if (!this.client || this.ended) return;
    this.ended = true;
    const client = await this.client;
    try {
      await client.query('COMMIT');
    } finally {
      await client.end().catch(() => undefined);
    }
  }

  async abandon(): Promise<void> {
    if (!this.client || this.ended) return;
    this.ended = true;
    // ending the connection rolls the transaction back
    const client = await this.client.catch(() => undefined);
    await client?.end().catch(() => undefined);
  }

  private async open(): Promise<Client> {
    const client = new Client(this.config);
    // a drop while copying fails the copy in flight; without a listener it would crash the process
    client.on('error', ignoreDrop);
    await client.connect();
    try {
      await client.query('BEGIN');
      await client.query(`TRUNCATE ${this.table}`);
    } catch (error) {
      await client.end().catch(() => undefined);
      throw error;
    }
    return client;
  }
}

/**
 * LISTEN needs a connection of its own for as long as anyone listens, so it is not taken from the
 * pool. When that connection breaks, it reconnects, LISTENs again, and tells every listener that
 * notifications may have been lost meanwhile.
 */
class PgListener {
  private readonly handlers = new Map<string, Set<(payload: string) => void>>();
  private client: Promise<Client> | undefined;
  private closed = false;
  private readonly reconnectDelay = new Backoff(RECONNECT_DELAY);

  constructor(private readonly config: ClientConfig) {}

  async listen(channel: string, onNotify: (payload: string) => void): Promise<() => Promise<void>> {
    const client = await this.connection();
    let handlers = this.handlers.get(channel);
    if (!handlers) {
      handlers = new Set();
      this.handlers.set(channel, handlers);
      await client.query(`LISTEN "${channel}"`);
    }
    handlers.add(onNotify);
    return async () => {
      handlers.delete(onNotify);
    };
  }

  /**
   * On this connection, not the pool's: with a pool of one, a notification sent after every few
   * appends took the writer's connection each time (about 5 % of a lone writer's appends/s).
   */
  async notify(channel: string, payload: string): Promise<void> {
    const client = await this.connection();
    counted().statement();
    // named, so the connection parses and plans it once: unnamed, the server planned every NOTIFY
    // (the distributed bench: 4,877 calls, 4,877 plans, most of a whole run's planning of any statement)
    await client.query({ name: 'lapor_notify', text: 'SELECT pg_notify($1, $2)', values: [channel, payload] });
  }

  async close(): Promise<void> {
    this.closed = true;
    const client = await this.client?.catch(() => undefined);
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }

  private connection(): Promise<Client> {
    this.client ??= this.connect().catch((error: unknown) => {
      this.client = undefined;
      throw error;
    });
    return this.client;
  }

  private async connect(): Promise<Client> {
    const client = new Client(this.config);
    client.on('notification', (message) => {
      for (const handler of this.handlers.get(message.channel) ?? []) handler(message.payload ?? '');
    });
    client.on('error', () => this.reconnect(client));
    await client.connect();
    for (const channel of this.handlers.keys()) await client.query(`LISTEN "${channel}"`);
    return client;
  }

  private reconnect(broken: Client): void {
    this.client = undefined;
    void broken.end().catch(() => undefined);
    if (this.closed) return;
    this.reconnectDelay.reset(); // a new break: its tries count from the first
    const retry = (): void => {
      if (this.closed || this.handlers.size === 0) return;
      this.connection().then(
        () => this.tellAll(''),
        () => setTimeout(retry, this.reconnectDelay.next()).unref(),
      );
    };
    // unref: a reconnect under way does not keep the process alive
    setTimeout(retry, this.reconnectDelay.next()).unref();
  }

  private tellAll(payload: string): void {
    for (const handlers of this.handlers.values()) for (const handler of handlers) handler(payload);
  }
}
