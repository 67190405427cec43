// Loads SLOs, maintenance windows and runbooks from files at start. Idempotent: unchanged files write
// nothing; a bad file is reported with its path and line while the rest still loads.
import fs from 'node:fs/promises';
import path from 'node:path';
import matter from 'gray-matter';
import { LineCounter, parseAllDocuments, type Document } from 'yaml';
import { z } from 'zod';
import {
  type CheckedWindow,
  MaintenanceWindowCreate,
  RunbookCreate,
  RunbookId,
  SloCreate,
  Slug,
  windowProblem,
} from '@opsdeck/common';
import type { FastifyInstance } from 'fastify';
import type { DocumentRepository, StoredDocument } from '../store/documents';

export interface ProvisioningProblem {
  file: string;
  line: number;
  message: string;
}

export interface ProvisioningResult {
  created: string[];
  updated: string[];
  unchanged: string[];
  problems: ProvisioningProblem[];
}

const WindowFile = MaintenanceWindowCreate.extend({ id: Slug });
const RunbookFrontMatter = RunbookCreate.omit({ body: true }).extend({ id: RunbookId });

interface Candidate {
  file: string;
  line: number;
  kind: 'slo' | 'maintenance window' | 'runbook';
  doc: { id: string } & Record<string, unknown>;
}

async function listFiles(dir: string, exts: string[]): Promise<string[]> {
  try {
    const names = await fs.readdir(dir);
    return names
      .filter((n) => exts.some((e) => n.endsWith(e)))
      .sort()
      .map((n) => path.join(dir, n));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
}

/** The 1-based line of the node at `issuePath` in a YAML document, or of the document itself. */
function lineOf(doc: Document, counter: LineCounter, issuePath: PropertyKey[], offset = 0): number {
  for (let n = issuePath.length; n >= 0; n--) {
    const node = doc.getIn(issuePath.slice(0, n) as (string | number)[], true) as
      { range?: [number, number, number] } | undefined;
    if (node && node.range) return counter.linePos(node.range[0]).line + offset;
  }
  const start = (doc.contents as { range?: [number] } | null)?.range?.[0] ?? 0;
  return counter.linePos(start).line + offset;
}

function zodProblems(
  file: string,
  err: z.ZodError,
  where: (p: PropertyKey[]) => number,
): ProvisioningProblem[] {
  return err.issues.map((i) => ({
    file,
    line: where(i.path),
    message: `${i.path.map(String).join('.') || '(document)'}: ${i.message}`,
  }));
}

async function readYamlDocs<S extends z.ZodTypeAny>(
  file: string,
  schema: S,
  kind: Candidate['kind'],
  problems: ProvisioningProblem[],
): Promise<Candidate[]> {
  const text = await fs.readFile(file, 'utf8');
  const counter = new LineCounter();
  const out: Candidate[] = [];
  for (const doc of parseAllDocuments(text, { lineCounter: counter })) {
    if ('errors' in doc && doc.errors.length > 0) {
      for (const e of doc.errors)
        problems.push({ file, line: e.linePos?.[0]?.line ?? 1, message: e.message.split('\n')[0]! });
      continue;
    }
    const value = doc.toJS();
    if (value === null || value === undefined) continue;
    const parsed = schema.safeParse(value);
    if (!parsed.success) {
      problems.push(...zodProblems(file, parsed.error, (p) => lineOf(doc as Document, counter, p)));
      continue;
    }
    out.push({
      file,
      line: lineOf(doc as Document, counter, []),
      kind,
      doc: parsed.data as Candidate['doc'],
    });
  }
  return out;
}

async function readRunbook(file: string, problems: ProvisioningProblem[]): Promise<Candidate[]> {
  const text = await fs.readFile(file, 'utf8');
  let parsed: matter.GrayMatterFile<string>;
  try {
    // Options turn off gray-matter's content cache, whose hits come back without the matter text.
    parsed = matter(text, {});
  } catch (err) {
    const mark = (err as { mark?: { line?: number } }).mark;
    problems.push({
      file,
      line: (mark?.line ?? 0) + 2,
      message: `front matter: ${(err as Error).message.split('\n')[0]}`,
    });
    return [];
  }
  const result = RunbookFrontMatter.safeParse(parsed.data);
  if (!result.success) {
    // gray-matter's matter text begins right after the opening ---, so its lines are the file's lines.
    const counter = new LineCounter();
    const fm = parseAllDocuments(parsed.matter, { lineCounter: counter })[0] as Document | undefined;
    problems.push(...zodProblems(file, result.error, (p) => (fm ? lineOf(fm, counter, p) : 1)));
    return [];
  }
  return [{ file, line: 1, kind: 'runbook', doc: { ...result.data, body: parsed.content.trim() + '\n' } }];
}

function sameContent(a: Record<string, unknown>, b: Record<string, unknown>): boolean {
  return Object.keys(b).every((k) => JSON.stringify(a[k]) === JSON.stringify(b[k]));
}

async function upsert<T extends StoredDocument>(
  repo: DocumentRepository<T>,
  c: Candidate,
  at: Date,
  result: ProvisioningResult,
): Promise<void> {
  const ctx = { actor: 'provisioning', at };
  const incoming = { ...c.doc, source: 'provisioning' } as Record<string, unknown>;
  const label = `${c.kind} ${c.doc.id}`;
  const existing = await repo.get(c.doc.id);
  if (!existing) {
    await repo.insert(incoming as unknown as T, ctx);
    result.created.push(label);
  } else if (sameContent(existing as unknown as Record<string, unknown>, incoming)) {
    result.unchanged.push(label);
  } else {
    await repo.update(c.doc.id, existing.version, (cur) => ({ ...cur, ...incoming }) as T, ctx, 'provision');
    result.updated.push(label);
  }
}

/** Reads `dir`/{slos,maintenance-windows}/*.yaml and `dir`/runbooks/*.md into the store. */
export async function loadProvisioning(app: FastifyInstance, dir: string): Promise<ProvisioningResult> {
  const result: ProvisioningResult = { created: [], updated: [], unchanged: [], problems: [] };
  const problems = result.problems;
  const candidates: Candidate[] = [];
  for (const f of await listFiles(path.join(dir, 'slos'), ['.yaml', '.yml']))
    candidates.push(...(await readYamlDocs(f, SloCreate, 'slo', problems)));
  for (const f of await listFiles(path.join(dir, 'maintenance-windows'), ['.yaml', '.yml']))
    candidates.push(...(await readYamlDocs(f, WindowFile, 'maintenance window', problems)));
  for (const f of await listFiles(path.join(dir, 'runbooks'), ['.md']))
    candidates.push(...(await readRunbook(f, problems)));

  const seen = new Map<string, Candidate>();
  const at = app.clock.now();
  for (const c of candidates) {
    const key = `${c.kind}/${c.doc.id}`;
    const first = seen.get(key);
    if (first) {
      problems.push({
        file: c.file,
        line: c.line,
        message: `${c.kind} id "${c.doc.id}" is also defined in ${first.file}:${first.line}`,
      });
      continue;
    }
    seen.set(key, c);
    // A file is an admin's word, so it may be broad; everything else holds as for the API.
    const problem =
      c.kind === 'maintenance window'
        ? windowProblem(c.doc as unknown as CheckedWindow, {
            lookAheadMs: app.silencer.lookAheadMs,
            mayBeBroad: true,
          })
        : null;
    if (problem) {
      problems.push({ file: c.file, line: c.line, message: `${problem.field}: ${problem.message}` });
      continue;
    }
    try {
      const repo =
        c.kind === 'slo'
          ? app.repos.slos
          : c.kind === 'runbook'
            ? app.repos.runbooks
            : app.repos.maintenanceWindows;
      await upsert(repo as DocumentRepository<StoredDocument>, c, at, result);
    } catch (err) {
      problems.push({ file: c.file, line: c.line, message: (err as Error).message });
    }
  }
  return result;
}
