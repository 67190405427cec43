// What an import gives back: the converted specs, or problems that each name the source document
// and the field that could not be mapped.
import type { z } from 'zod';
import { Url } from '../../api/primitives';
import { SloCreate, type SloSpec } from '../spec';
import { SelectorError } from '../selector';

export interface ImportProblem {
  /** which document: format, kind and name, e.g. `sloth myservice/requests-availability (document 1)` */
  document: string;
  /** dotted path of the field in the source document, or YAML_SYNTAX_FIELD when the text is no YAML */
  field: string;
  message: string;
  /** 1-based line in the whole text, for YAML syntax problems */
  line?: number;
}

/** The `field` of a problem in the YAML itself (syntax, an alias without its anchor, an alias bomb). */
export const YAML_SYNTAX_FIELD = '(yaml)';

export interface ImportResult {
  slos: SloSpec[];
  problems: ImportProblem[];
}

/** Raised by a converter for a field it cannot map; the importer turns it into a problem. */
export class UnmappableField extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

/** Validates a converted spec against SloCreate, reporting opsdeck fields it breaks. */
export function validated(
  candidate: SloCreateInput,
  document: string,
  problems: ImportProblem[],
): SloSpec | null {
  const parsed = SloCreate.safeParse(candidate);
  if (parsed.success) return parsed.data;
  for (const issue of parsed.error.issues) {
    problems.push({
      document,
      field: `(opsdeck) ${issue.path.map(String).join('.')}`,
      message: issue.message,
    });
  }
  return null;
}

/** Lower-case slug for ids built from other tools' names: `My Service/Requests` → `my-service-requests`. */
export function slugify(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/^[^a-z0-9]+|-+$/g, '')
    .slice(0, 100);
}

/** Keeps entries that are valid Prometheus labels with string values. */
export function labelsOf(value: unknown): Record<string, string> {
  if (!value || typeof value !== 'object') return {};
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>).filter(
      (e): e is [string, string] => /^[a-zA-Z_][a-zA-Z0-9_]*$/.test(e[0]) && typeof e[1] === 'string',
    ),
  );
}

/** A URL usable as runbookUrl, or null. */
export function urlOrNull(value: unknown): string | null {
  return Url.safeParse(value).success ? (value as string) : null;
}

/** Runs a selector mapping, reporting its failure against `field`. */
export function atField<T>(field: string, map: () => T): T {
  try {
    return map();
  } catch (error) {
    if (error instanceof SelectorError) throw new UnmappableField(field, error.message);
    throw error;
  }
}

export type SloCreateInput = z.input<typeof SloCreate>;

/** Receives each SLO a converter builds; `build` throws UnmappableField for what it cannot map. */
export type Emit = (document: string, build: () => SloCreateInput) => void;

/** Reads a nested field, or undefined: `field(doc, 'spec', 'indicator')`. */
export function field(value: unknown, ...path: (string | number)[]): unknown {
  let at = value;
  for (const key of path) {
    if (at === null || typeof at !== 'object') return undefined;
    at = (at as Record<string | number, unknown>)[key];
  }
  return at;
}

/** A required string field, or UnmappableField naming it. */
export function text(value: unknown, path: string): string {
  if (typeof value !== 'string' || value.trim() === '')
    throw new UnmappableField(path, 'required, as a non-empty string');
  return value;
}

/** A required number field (numeric strings accepted, as Pyrra writes targets), or UnmappableField naming it. */
export function num(value: unknown, path: string): number {
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isFinite(n)) throw new UnmappableField(path, 'required, as a number');
  return n;
}
