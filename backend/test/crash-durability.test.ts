// Crash durability: the real backend process under a bounded write load (incident creates, timeline
// appends, versioned updates) is killed with SIGKILL ten times at random moments and restarted; every
// write it acknowledged must be there afterwards, and the store must be consistent: each document's
// version matches its audit trail, each timeline row has its audit row, no row is half written.
import { request } from 'node:http';
import { Incident } from '@opsdeck/common';
import { type BackendProcess, startBackend } from '../src/bench/backend-process';
import { openStore } from '../src/store/db';
import { createTestDatabase, STORE_KINDS, TOKENS, TOKENS_ENV } from './support/app';

const KILLS = 10;
const WORKERS = 4;
const SEED = Number(process.env.CRASH_SEED ?? Date.now() % 2 ** 31);

/** A small deterministic PRNG (mulberry32), so a failing run can be replayed from its seed. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Acknowledged {
  /** incident id → highest version the server acknowledged, with the title it set */
  incidents: Map<string, { version: number; title: string }>;
  /** timeline entry id → incident id */
  timeline: Map<string, string>;
  writes: number;
}

const headers = { authorization: `Bearer ${TOKENS.editor}`, 'content-type': 'application/json' };

/** One request on a fresh connection: no pooled socket outlives a killed process. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- answers are read field by field
function call(url: string, method: string, body?: unknown): Promise<{ status: number; json: any }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers, agent: false }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (text += d));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, json: text ? JSON.parse(text) : undefined }),
      );
      res.on('error', (err) => reject(new ConnectionLost(err.message)));
    });
    req.on('error', (err) => reject(new ConnectionLost(err.message)));
    req.end(body === undefined ? undefined : JSON.stringify(body));
  });
}

class ConnectionLost extends Error {}

/** Writes until the process dies under it; records only what was answered with a 2xx. */
async function worker(base: string, life: number, n: number, acked: Acknowledged): Promise<void> {
  try {
    for (let k = 0; ; k++) {
      const created = await call(`${base}/api/v1/incidents`, 'POST', {
        title: `life ${life} worker ${n} #${k}`,
        severity: 'S3',
        service: `svc-${n}`,
      });
      if (created.status !== 201)
        throw new Error(`create answered ${created.status}: ${JSON.stringify(created.json)}`);
      const id: string = created.json.id;
      acked.incidents.set(id, { version: created.json.version, title: created.json.title });
      acked.writes++;
      for (let step = 0; step < 3; step++) {
        const entry = await call(`${base}/api/v1/incidents/${id}/timeline`, 'POST', {
          kind: 'note',
          text: `note ${step} on ${id}`,
        });
        if (entry.status !== 201)
          throw new Error(`timeline answered ${entry.status}: ${JSON.stringify(entry.json)}`);
        acked.timeline.set(entry.json.id, id);
        acked.writes++;
        const cur = acked.incidents.get(id)!;
        const title = `${cur.title} (edit ${step})`;
        const patched = await call(`${base}/api/v1/incidents/${id}`, 'PATCH', {
          title,
          version: cur.version,
        });
        if (patched.status !== 200)
          throw new Error(`update answered ${patched.status}: ${JSON.stringify(patched.json)}`);
        acked.incidents.set(id, { version: patched.json.version, title: patched.json.title });
        acked.writes++;
      }
    }
  } catch (err) {
    // The kill cuts connections. Any other failure is a finding.
    if (!(err instanceof ConnectionLost)) throw err;
  }
}

describe.each(STORE_KINDS)('crash durability on %s', (kind) => {
  it(`keeps every acknowledged write through ${KILLS} kill -9 restarts, with a consistent store`, async () => {
    const database = await createTestDatabase(kind);
    const rand = random(SEED + (kind === 'postgres' ? 1 : 0));
    const acked: Acknowledged = { incidents: new Map(), timeline: new Map(), writes: 0 };
    const env = { DATABASE_URL: database.url, OPSDECK_TOKENS: TOKENS_ENV, RATE_LIMIT_PER_MINUTE: '0' };
    let backend: BackendProcess | undefined;
    try {
      for (let life = 0; life < KILLS; life++) {
        backend = await startBackend(env);
        const before = acked.writes;
        const workers = Array.from({ length: WORKERS }, (_, n) => worker(backend!.url, life, n, acked));
        // Kill once the load is running, at a random moment of it.
        const loadDeadline = Date.now() + 20_000;
        while (acked.writes - before < 5 && Date.now() < loadDeadline)
          await new Promise((r) => setTimeout(r, 10));
        expect(acked.writes - before).toBeGreaterThanOrEqual(5);
        await new Promise((r) => setTimeout(r, 50 + rand() * 1500));
        await backend.kill9();
        await Promise.all(workers);
      }

      backend = await startBackend(env);
      for (const [id, want] of acked.incidents) {
        const got = await call(`${backend.url}/api/v1/incidents/${id}`, 'GET');
        expect({ id, status: got.status }).toEqual({ id, status: 200 });
        // At most one unacknowledged update was in flight per incident when the process died.
        expect(got.json.version - want.version).toBeGreaterThanOrEqual(0);
        expect(got.json.version - want.version).toBeLessThanOrEqual(1);
        if (got.json.version === want.version) expect(got.json.title).toBe(want.title);
      }
      for (const [entryId, incidentId] of acked.timeline) {
        const got = await call(`${backend.url}/api/v1/incidents/${incidentId}/timeline`, 'GET');
        expect(got.json.items.map((e: { id: string }) => e.id)).toContain(entryId);
      }
      await backend.stop();
      backend = undefined;

      const store = await openStore(database.url);
      try {
        const incidents = await store.db.selectFrom('incidents').selectAll().execute();
        const audit = await store.db
          .selectFrom('audit_log')
          .selectAll()
          .where('entity', '=', 'incident')
          .execute();
        const timeline = await store.db.selectFrom('timeline_entries').selectAll().execute();
        expect(incidents.length).toBeGreaterThanOrEqual(acked.incidents.size);
        for (const row of incidents) {
          // The document is whole and agrees with its bookkeeping columns.
          const doc = Incident.parse(JSON.parse(row.doc));
          expect({ id: doc.id, version: doc.version }).toEqual({ id: row.id, version: Number(row.version) });
          // One audit row per committed change of the document: the versions 1..V, each once.
          const versions = audit
            .filter((a) => a.entity_id === row.id && a.action !== 'timeline.append')
            .map((a) => (JSON.parse(a.after!) as { version: number }).version)
            .sort((x, y) => x - y);
          expect({ id: row.id, versions }).toEqual({
            id: row.id,
            versions: Array.from({ length: Number(row.version) }, (_, i) => i + 1),
          });
        }
        const ids = new Set(incidents.map((r) => r.id));
        const appended = new Set(
          audit
            .filter((a) => a.action === 'timeline.append')
            .map((a) => (JSON.parse(a.after!) as { id: string }).id),
        );
        for (const entry of timeline) {
          expect(ids.has(entry.incident_id)).toBe(true);
          expect({ entry: entry.id, audited: appended.has(entry.id) }).toEqual({
            entry: entry.id,
            audited: true,
          });
        }
        expect(appended.size).toBe(timeline.length);
      } finally {
        await store.close();
      }
      process.stdout.write(
        `crash durability on ${kind}: seed ${SEED}, ${KILLS} kills, ${acked.writes} acknowledged writes (${acked.incidents.size} incidents, ${acked.timeline.size} timeline entries) all present\n`,
      );
    } finally {
      await backend?.kill9();
      await database.drop();
    }
  }, 420_000);
});
