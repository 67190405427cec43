// Imports SLO definitions written for OpenSLO, Sloth or Pyrra (or opsdeck's own YAML) into opsdeck
// specs. Pure: text in, specs and problems out; storing them is the caller's business.
import { parseAllDocuments } from 'yaml';
import { convertOpenSlo, isOpenSlo } from './openslo';
import { convertPyrra, isPyrra } from './pyrra';
import {
  UnmappableField,
  YAML_SYNTAX_FIELD,
  field,
  validated,
  type Emit,
  type ImportProblem,
  type ImportResult,
} from './result';
import { convertSloth, isSloth } from './sloth';

export type { ImportProblem, ImportResult } from './result';
export { YAML_SYNTAX_FIELD } from './result';
export { SLOTH_DEFAULT_WINDOW } from './sloth';

export const IMPORT_FORMATS = ['openslo', 'sloth', 'pyrra', 'opsdeck'] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

/** The format of one YAML document, or null when it is none we read. */
export function detectFormat(doc: unknown): ImportFormat | null {
  if (isOpenSlo(doc)) return 'openslo';
  if (isSloth(doc)) return 'sloth';
  if (isPyrra(doc)) return 'pyrra';
  if (field(doc, 'indicator') !== undefined && field(doc, 'apiVersion') === undefined) return 'opsdeck';
  return null;
}

/**
 * Converts every SLO in a multi-document YAML text. With `format`, documents of another format are
 * reported; without it each document's format is detected. OpenSLO documents other than SLO and SLI
 * (Service, DataSource, AlertPolicy…) are skipped.
 */
export function importSlos(text: string, format?: ImportFormat): ImportResult {
  const result: ImportResult = { slos: [], problems: [] };
  const problems: ImportProblem[] = result.problems;
  const emit: Emit = (document, build) => {
    try {
      const spec = validated(build(), document, problems);
      if (spec) result.slos.push(spec);
    } catch (error) {
      if (!(error instanceof UnmappableField)) throw error;
      problems.push({ document, field: error.field, message: error.message });
    }
  };

  const docs = parseAllDocuments(text).map((doc) => {
    if ('errors' in doc && doc.errors.length > 0)
      return {
        errors: doc.errors.map((e) => ({
          message: e.message.split('\n')[0] ?? e.message,
          line: e.linePos?.[0].line,
        })),
      };
    // toJS throws on an alias without its anchor and on alias bombs (too many expansions).
    try {
      return { value: doc.toJS() as unknown };
    } catch (error) {
      return {
        errors: [{ message: error instanceof Error ? error.message : String(error), line: undefined }],
      };
    }
  });
  // OpenSLO SLOs may point at SLI documents anywhere in the text
  const slis = new Map<string, unknown>();
  for (const { value } of docs) {
    if (isOpenSlo(value) && field(value, 'kind') === 'SLI')
      slis.set(String(field(value, 'metadata', 'name')), field(value, 'spec'));
  }

  docs.forEach((doc, i) => {
    const where = `document ${i + 1}`;
    if (doc.errors) {
      for (const { message, line } of doc.errors)
        problems.push({ document: where, field: YAML_SYNTAX_FIELD, message, ...(line ? { line } : {}) });
      return;
    }
    const value = doc.value;
    if (value === undefined || value === null) return;
    const detected = detectFormat(value);
    if (detected === null || (format && detected !== format)) {
      problems.push({
        document: where,
        field: detected === null ? 'apiVersion' : '(format)',
        message:
          detected !== null
            ? `this is a ${detected} document, but format ${format} was asked for`
            : String(field(value, 'apiVersion')).startsWith('openslo/')
              ? `${String(field(value, 'apiVersion'))} is not read: convert it to openslo/v1`
              : 'not an SLO this importer reads: expected apiVersion openslo/v1 or pyrra.dev/v1alpha1, version prometheus/v1, or an opsdeck SLO',
      });
      return;
    }
    if (detected === 'openslo') convertOpenSlo(value, where, emit, slis);
    else if (detected === 'sloth') convertSloth(value, where, emit);
    else if (detected === 'pyrra') convertPyrra(value, where, emit);
    else emit(`opsdeck ${String(field(value, 'id'))} (${where})`, () => value as never);
  });
  return result;
}
