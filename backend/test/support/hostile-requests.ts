// Hostile HTTP requests for every operation of an OpenAPI document: near-valid bodies built from the
// route's own schema with one field poisoned, plus malformed, oversized, wrongly typed, injection-laden and
// wrongly encoded payloads, query strings, path parameters and headers. Used by hostile-input tests.
import fc from 'fast-check';

type Schema = {
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  format?: string;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  maxItems?: number;
  items?: Schema;
  properties?: Record<string, Schema>;
  required?: string[];
  additionalProperties?: boolean | Schema;
  anyOf?: Schema[];
  oneOf?: Schema[];
  allOf?: Schema[];
  nullable?: boolean;
};

interface Parameter {
  in: 'query' | 'path' | 'header';
  name: string;
  schema?: Schema;
}

export interface Operation {
  method: string;
  /** OpenAPI path template, e.g. /api/v1/incidents/{id}/timeline */
  template: string;
  query: Parameter[];
  body?: Schema;
  /** 4xx statuses the operation documents as a domain answer rather than an error (a gate's 412 halt) */
  answers: number[];
}

export interface HostileRequest {
  method: string;
  url: string;
  template: string;
  headers: Record<string, string>;
  payload?: string | Buffer;
  /** which generator produced the body, to group findings */
  kind: string;
  /** statuses documented as domain answers for this operation */
  answers: number[];
}

/** Every operation in the document, with its query parameters and JSON body schema. */
export function operationsOf(doc: { paths: Record<string, Record<string, unknown>> }): Operation[] {
  const ops: Operation[] = [];
  for (const [template, methods] of Object.entries(doc.paths)) {
    for (const [method, raw] of Object.entries(methods)) {
      const op = raw as {
        parameters?: Parameter[];
        requestBody?: { content?: Record<string, { schema?: Schema }> };
        responses?: Record<string, { content?: Record<string, { schema?: Schema }> }>;
      };
      const answers = Object.entries(op.responses ?? {})
        .filter(([status, r]) => {
          const props = r.content?.['application/json']?.schema?.properties;
          return /^4\d\d$/.test(status) && props !== undefined && !('error' in props);
        })
        .map(([status]) => Number(status));
      ops.push({
        method: method.toUpperCase(),
        template,
        query: (op.parameters ?? []).filter((p) => p.in === 'query'),
        body: op.requestBody?.content?.['application/json']?.schema,
        answers,
      });
    }
  }
  return ops;
}

export const HOSTILE_STRINGS = [
  "' OR '1'='1",
  "1'; DROP TABLE incidents;--",
  '" OR 1=1 --',
  "' UNION SELECT secret_hash, name FROM api_tokens--",
  "'); DELETE FROM audit_log; --",
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(document.cookie)>',
  'javascript:alert(1)',
  '../../../../etc/passwd',
  '..%2F..%2F..%2Fetc%2Fpasswd',
  '..\\..\\..\\windows\\win.ini',
  '/dev/zero',
  '__proto__',
  'constructor',
  'prototype',
  'hasOwnProperty',
  '\u0000',
  'a\u0000b',
  '\ud800',
  '\udfff\ud800x',
  '\ufeff',
  '\u202e\u0645',
  '😀'.repeat(300),
  'x'.repeat(70_000),
  '',
  ' ',
  '\n\r\t',
  '%00',
  '%',
  '${7*7}',
  '{{7*7}}',
  '$(reboot)',
  '`id`',
  'NaN',
  'Infinity',
  '-1',
  '1e309',
  '0x10',
  'null',
  'true',
  '[]',
  '{}',
  '1970-01-01T00:00:00Z',
  '9999-12-31T23:59:59Z',
  '0000-00-00T00:00:00Z',
  '2026-02-30T00:00:00Z',
  '+275760-09-13T00:00:00.001Z',
  '2026-01-01T00:00:00+99:99',
  '1h',
  '-5m',
  '999999999999d',
  'up{job="a"} or vector(1)',
  'sum(rate(x[5m])) / 0',
  '{__name__=~".+"}',
];

const HOSTILE_NUMBERS = [
  1e308,
  -1e308,
  Number.MAX_SAFE_INTEGER + 2,
  -Number.MAX_SAFE_INTEGER - 2,
  2 ** 31,
  2 ** 53,
  -0,
  0.5,
  -1,
  0,
  1e-320,
  4.9e-324,
];

const deep = (depth: number, leaf: unknown): unknown => {
  let v = leaf;
  for (let i = 0; i < depth; i++) v = i % 2 ? [v] : { a: v };
  return v;
};

/** A wrong value of any JSON type (objects with operators, deep nesting, long arrays included). */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...HOSTILE_STRINGS) },
  { weight: 2, arbitrary: fc.constantFrom<unknown>(...HOSTILE_NUMBERS) },
  { weight: 1, arbitrary: fc.constantFrom<unknown>(null, true, false, [], {}, [[[]]], [null]) },
  {
    weight: 1,
    arbitrary: fc.constantFrom<unknown>(
      { $gt: '' },
      { $where: 'sleep(1000)' },
      JSON.parse('{"__proto__":{"polluted":"yes"}}'),
      { constructor: { prototype: { polluted: 'yes' } } },
      new Array(5000).fill('x'),
      deep(300, 'bottom'),
    ),
  },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
);

const ISO_DATE = fc
  .date({ min: new Date('2020-01-01T00:00:00Z'), max: new Date('2030-01-01T00:00:00Z'), noInvalidDate: true })
  .map((d) => d.toISOString());

function typesOf(s: Schema): string[] {
  return Array.isArray(s.type) ? s.type : s.type ? [s.type] : [];
}

/** A value that fits the schema as far as cheaply possible (patterns honoured, lengths bounded). */
export function validValue(s: Schema, depth = 0): fc.Arbitrary<unknown> {
  const inner = validInner(s, depth);
  return s.nullable
    ? fc.oneof({ weight: 5, arbitrary: inner }, { weight: 1, arbitrary: fc.constant(null) })
    : inner;
}

function validInner(s: Schema, depth: number): fc.Arbitrary<unknown> {
  if (s.const !== undefined) return fc.constant(s.const);
  if (s.enum) return fc.constantFrom(...s.enum);
  const alternatives = s.anyOf ?? s.oneOf;
  if (alternatives?.length) return fc.oneof(...alternatives.map((a) => validValue(a, depth)));
  if (s.allOf?.length) return validValue(s.allOf[0]!, depth);
  const type = typesOf(s)[0];
  switch (type) {
    case 'string': {
      if (s.format === 'date-time') return ISO_DATE;
      const max = Math.min(s.maxLength ?? 24, 24);
      if (s.pattern) {
        let re: RegExp | undefined;
        try {
          re = new RegExp(s.pattern);
        } catch {
          re = undefined;
        }
        if (re)
          return fc
            .stringMatching(re)
            .map((x) => (x.length > (s.maxLength ?? Infinity) ? x.slice(0, s.maxLength) : x));
      }
      return fc.string({ minLength: s.minLength ?? 0, maxLength: Math.max(max, s.minLength ?? 0) });
    }
    case 'integer':
      return fc.integer({ min: Math.ceil(s.minimum ?? -1000), max: Math.floor(s.maximum ?? 1000) });
    case 'number':
      return fc.double({
        min: s.minimum ?? -1000,
        max: s.maximum ?? 1000,
        noNaN: true,
        noDefaultInfinity: true,
      });
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array':
      if (depth > 4) return fc.constant([]);
      return fc.array(validValue(s.items ?? {}, depth + 1), {
        minLength: s.minItems ?? 0,
        maxLength: Math.max(s.minItems ?? 0, Math.min(s.maxItems ?? 3, 3)),
      });
    case 'object': {
      if (depth > 4) return fc.constant({});
      const props = s.properties ?? {};
      const record = fc.record(
        Object.fromEntries(Object.entries(props).map(([k, v]) => [k, validValue(v, depth + 1)])),
        { requiredKeys: (s.required ?? []).filter((k) => k in props) },
      );
      if (typeof s.additionalProperties === 'object') {
        const extra = fc.dictionary(
          fc.stringMatching(/^[a-z][a-z0-9_]{0,10}$/),
          validValue(s.additionalProperties, depth + 1),
          {
            maxKeys: 3,
          },
        );
        return fc.tuple(record, extra).map(([a, b]) => ({ ...b, ...a }));
      }
      return record;
    }
    default:
      return fc.jsonValue({ maxDepth: 2 });
  }
}

/** Paths to every value inside a JSON value, the root included. */
function pathsIn(
  value: unknown,
  prefix: (string | number)[] = [],
  out: (string | number)[][] = [],
): (string | number)[][] {
  out.push(prefix);
  if (out.length > 200) return out;
  if (Array.isArray(value)) value.forEach((v, i) => pathsIn(v, [...prefix, i], out));
  else if (value && typeof value === 'object')
    for (const [k, v] of Object.entries(value)) pathsIn(v, [...prefix, k], out);
  return out;
}

function setAt(
  root: unknown,
  path: (string | number)[],
  value: unknown,
  how: 'replace' | 'delete' | 'add-key',
): unknown {
  if (path.length === 0) return how === 'replace' ? value : root;
  const copy = structuredClone(root) as Record<string | number, unknown>;
  let node = copy;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  const last = path[path.length - 1]!;
  if (how === 'delete') delete node[last];
  else if (how === 'replace') node[last] = value;
  else {
    const target = node[last];
    if (target && typeof target === 'object' && !Array.isArray(target)) {
      // JSON.parse makes "__proto__" an own key, as a hostile client's JSON would.
      Object.assign(target, JSON.parse(JSON.stringify({ [`k${String(last)}`]: value })));
    } else node[last] = value;
  }
  return copy;
}

const POLLUTING_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'isAdmin', 'role'];

/** A body that fits the schema except for one poisoned place (replaced, removed, or an extra key). */
function mutatedBody(s: Schema): fc.Arbitrary<{ text: string; kind: string }> {
  return fc
    .tuple(
      validValue(s),
      hostileValue,
      fc.nat(),
      fc.constantFrom('replace', 'delete', 'add-key', 'pollute', 'valid'),
      fc.constantFrom(...POLLUTING_KEYS),
    )
    .map(([valid, bad, pick, how, key]) => {
      const paths = pathsIn(valid);
      const path = paths[pick % paths.length]!;
      if (how === 'valid') return { text: JSON.stringify(valid), kind: 'schema-valid' };
      if (how === 'pollute') {
        const text = JSON.stringify(valid);
        const injected = `{"${key}":${JSON.stringify({ polluted: 'yes', role: 'admin' })}${text.length > 2 ? ',' : ''}${text.slice(1)}`;
        return { text: text.startsWith('{') ? injected : text, kind: `pollute-${key}` };
      }
      return {
        text: JSON.stringify(setAt(valid, path, bad, how === 'add-key' ? 'add-key' : how)) ?? 'null',
        kind: `schema-${how}`,
      };
    });
}

const INVALID_UTF8 = [
  Buffer.from([
    0x7b, 0x22, 0x74, 0x69, 0x74, 0x6c, 0x65, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0xc3, 0x28, 0x22, 0x7d,
  ]),
  Buffer.from([0xc0, 0xaf, 0xe0, 0x80, 0xaf]),
  Buffer.from([0xed, 0xa0, 0x80]),
  Buffer.from('{"title":"\u0000","severity":"S1"}'.replace('\\u0000', '\u0000')),
];

const RAW_BODIES = [
  '',
  ' ',
  'null',
  '"just a string"',
  '[]',
  'true',
  '1e999999',
  '{"limit":123456789012345678901234567890123456789}',
  '{"title":1e400,"severity":"S1","service":"api"}',
  '{"a":1,"a":2}',
  '{"title":"x",}',
  '{title:"x"}',
  "{'title':'x'}",
  '\ufeff{"title":"bom"}',
  '{"__proto__":{"polluted":"yes"},"title":"x"}',
  '{"constructor":{"prototype":{"polluted":"yes"}}}',
  '{"title":"a\\u0000b","severity":"S2","service":"api","summary":"\\u0000"}',
  '{"title":"\\ud800","severity":"S3","service":"api"}',
  '['.repeat(20_000),
  `${'{"a":'.repeat(3000)}1${'}'.repeat(3000)}`,
  `${'['.repeat(10_000)}${']'.repeat(10_000)}`,
  '{"title":',
  '{"title":"unterminated',
  'Ω≈ç√∫˜µ≤≥÷',
];

const CONTENT_TYPES = [
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=xyz',
  'application/xml',
  'application/json; charset=utf-16',
  'application/json; charset=latin1',
  'APPLICATION/JSON',
  'application/json;;;',
  '*/*',
  'application/vnd.api+json',
  'application/merge-patch+json',
  'application/octet-stream',
  'application/javascript',
];

/** A body for a write: mostly schema-shaped with one poisoned place, else raw hostile bytes. */
function bodyFor(
  op: Operation,
  oversize: number,
): fc.Arbitrary<{ payload?: string | Buffer; contentType?: string; kind: string }> {
  const json = 'application/json';
  const options: fc.WeightedArbitrary<{ payload?: string | Buffer; contentType?: string; kind: string }>[] = [
    {
      weight: 3,
      arbitrary: fc
        .constantFrom(...RAW_BODIES)
        .map((payload) => ({ payload, contentType: json, kind: 'raw' })),
    },
    {
      weight: 1,
      arbitrary: fc
        .constantFrom(...INVALID_UTF8)
        .map((payload) => ({ payload, contentType: json, kind: 'invalid-utf8' })),
    },
    {
      weight: 1,
      arbitrary: fc
        .uint8Array({ maxLength: 64 })
        .map((b) => ({ payload: Buffer.from(b), contentType: json, kind: 'random-bytes' })),
    },
    {
      weight: 2,
      arbitrary: hostileValue.map((v) => ({
        payload: JSON.stringify(v) ?? 'null',
        contentType: json,
        kind: 'hostile-json',
      })),
    },
    {
      weight: 2,
      arbitrary: fc
        .tuple(
          op.body ? validValue(op.body) : fc.jsonValue({ maxDepth: 2 }),
          fc.option(fc.constantFrom(...CONTENT_TYPES), { nil: undefined }),
        )
        .map(([v, ct]) => ({
          payload: JSON.stringify(v) ?? 'null',
          contentType: ct,
          kind: 'wrong-content-type',
        })),
    },
    { weight: 1, arbitrary: fc.constant({ kind: 'no-body' }) },
  ];
  if (op.body)
    options.push({
      weight: 10,
      arbitrary: mutatedBody(op.body).map(({ text, kind }) => ({ payload: text, contentType: json, kind })),
    });
  if (oversize > 0)
    options.push({
      weight: 1,
      arbitrary: fc.constant({
        payload: `{"title":"${'A'.repeat(oversize)}"}`,
        contentType: json,
        kind: 'oversized',
      }),
    });
  return fc.oneof(...options);
}

const GARBAGE_QUERIES = [
  '?&&&=&=',
  '?a=%E0%A4%A',
  '?%zz=1',
  '?__proto__[polluted]=yes',
  '?constructor[prototype][polluted]=yes',
  '?limit=1&limit=2&limit=3',
  '?from[]=x&to[$gt]=',
  `?q=${'%41'.repeat(3000)}`,
  '?limit=%00',
  '?cursor=..%2F..%2Fetc%2Fpasswd',
];

function queryFor(op: Operation): fc.Arbitrary<string> {
  if (op.query.length === 0) return fc.constantFrom('', '', '?unknown=1', ...GARBAGE_QUERIES);
  const perParam = op.query.map((p) =>
    fc.oneof(
      { weight: 4, arbitrary: fc.constant(undefined) },
      {
        weight: 4,
        arbitrary: validValue(p.schema ?? {}).map((v) => (typeof v === 'string' ? v : JSON.stringify(v))),
      },
      {
        weight: 2,
        arbitrary: hostileValue.map((v) => (typeof v === 'string' ? v : (JSON.stringify(v) ?? ''))),
      },
    ),
  );
  return fc.oneof(
    {
      weight: 8,
      arbitrary: fc.tuple(...perParam).map((values) => {
        const q = new URLSearchParams();
        values.forEach((v, i) => {
          if (v !== undefined) q.append(op.query[i]!.name, v.slice(0, 5000));
        });
        const s = q.toString();
        return s ? `?${s}` : '';
      }),
    },
    { weight: 1, arbitrary: fc.constantFrom(...GARBAGE_QUERIES) },
  );
}

const SEGMENTS = [
  '%00',
  '..%2F..%2Fetc%2Fpasswd',
  '..',
  '.',
  '%2e%2e',
  "'%20OR%20'1'%3D'1",
  '%3Cscript%3Ealert(1)%3C%2Fscript%3E',
  '__proto__',
  'constructor',
  'x'.repeat(5000),
  '%F0%9F%98%80',
  '%E0%A4%A',
  '%ff',
  '-1',
  '0',
  '1e309',
  'null',
  '%20',
];

const AUTHS: Record<string, string>[] = [
  {},
  { authorization: 'Bearer ' },
  { authorization: 'Bearer wrong-secret-0000' },
  { authorization: "Bearer ' OR 1=1--" },
  { authorization: 'Basic YWRtaW46YWRtaW4=' },
  { authorization: `Bearer ${'a'.repeat(8000)}` },
];

export interface GeneratorContext {
  /** the bearer secrets of the admin, editor and viewer tokens, and of Grafana's proxy token (an editor) */
  secrets: { admin: string; editor: string; viewer: string; grafana: string };
  /** existing ids for a path parameter, by the path's first segment after /api/v1 */
  knownIds: (template: string, param: string) => string[];
  /** body size that must exceed the limit, 0 to leave oversized bodies out */
  oversize: number;
}

/** One hostile request against one operation. */
export function requestFor(op: Operation, ctx: GeneratorContext): fc.Arbitrary<HostileRequest> {
  const params = [...op.template.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);
  const segment = (param: string) => {
    // Read at generation time: the ids that exist change as the run deletes and re-creates entities.
    const known = fc.nat().map((i) => {
      const ids = ctx.knownIds(op.template, param);
      return ids.length ? ids[i % ids.length]! : 'missing';
    });
    return fc.oneof(
      { weight: 6, arbitrary: known },
      { weight: 2, arbitrary: fc.constantFrom(...SEGMENTS) },
      {
        weight: 2,
        arbitrary: hostileValue.map((v) =>
          encodeURIComponent(
            (typeof v === 'string' ? v.slice(0, 300) : (JSON.stringify(v) ?? '')).toWellFormed(),
          ),
        ),
      },
    );
  };
  const segmentArbs = params.map((p) => segment(p));
  const roleHeaders = fc.oneof(
    { weight: 12, arbitrary: fc.constant({ authorization: `Bearer ${ctx.secrets.admin}` }) },
    { weight: 2, arbitrary: fc.constant({ authorization: `Bearer ${ctx.secrets.editor}` }) },
    { weight: 2, arbitrary: fc.constant({ authorization: `Bearer ${ctx.secrets.viewer}` }) },
    // The only token whose X-Grafana-User is read, so hostile user names reach the actor fields.
    { weight: 2, arbitrary: fc.constant({ authorization: `Bearer ${ctx.secrets.grafana}` }) },
    { weight: 1, arbitrary: fc.constantFrom(...AUTHS) },
  );
  const grafanaUser = fc.option(
    fc.constantFrom("' OR 1=1--", '<script>x</script>', '../../etc', 'alice', 'x'.repeat(1000), '__proto__'),
    { freq: 8, nil: undefined },
  );
  const hasBody = op.method !== 'GET' && op.method !== 'DELETE';
  const body = hasBody
    ? bodyFor(op, ctx.oversize)
    : fc.constant({ kind: 'no-body' } as { payload?: string | Buffer; contentType?: string; kind: string });
  return fc
    .tuple(fc.tuple(...segmentArbs), queryFor(op), roleHeaders, grafanaUser, body)
    .map(([segments, query, authHeaders, user, b]) => {
      let i = 0;
      const path = op.template.replace(/\{\w+\}/g, () => segments[i++] ?? 'x');
      const headers: Record<string, string> = { ...authHeaders };
      if (user !== undefined) headers['x-grafana-user'] = user;
      if (b.contentType) headers['content-type'] = b.contentType;
      return {
        method: op.method,
        url: `${path}${query}`,
        template: op.template,
        headers,
        payload: b.payload,
        kind: b.kind,
        answers: op.answers,
      };
    });
}
