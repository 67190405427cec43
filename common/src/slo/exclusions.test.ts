import { countLessExcluded, excludedParts, excludedSeconds, exclusionTerms, mergeRanges } from './exclusions';

const r = (start: string, end: string) => ({ start: new Date(start), end: new Date(end) });
const iso = (ranges: { start: Date; end: Date }[]) =>
  ranges.map((x) => [x.start.toISOString(), x.end.toISOString()]);
const window = r('2026-02-01T00:00:00Z', '2026-02-02T00:00:00Z');

describe('mergeRanges', () => {
  it.each([
    [
      'disjoint stay apart, sorted',
      [r('2026-02-01T05:00Z', '2026-02-01T06:00Z'), r('2026-02-01T01:00Z', '2026-02-01T02:00Z')],
      [
        ['2026-02-01T01:00:00.000Z', '2026-02-01T02:00:00.000Z'],
        ['2026-02-01T05:00:00.000Z', '2026-02-01T06:00:00.000Z'],
      ],
    ],
    [
      'overlapping join',
      [r('2026-02-01T01:00Z', '2026-02-01T03:00Z'), r('2026-02-01T02:00Z', '2026-02-01T04:00Z')],
      [['2026-02-01T01:00:00.000Z', '2026-02-01T04:00:00.000Z']],
    ],
    [
      'touching join',
      [r('2026-02-01T01:00Z', '2026-02-01T02:00Z'), r('2026-02-01T02:00Z', '2026-02-01T03:00Z')],
      [['2026-02-01T01:00:00.000Z', '2026-02-01T03:00:00.000Z']],
    ],
    [
      'contained vanish',
      [r('2026-02-01T01:00Z', '2026-02-01T05:00Z'), r('2026-02-01T02:00Z', '2026-02-01T03:00Z')],
      [['2026-02-01T01:00:00.000Z', '2026-02-01T05:00:00.000Z']],
    ],
    ['empty dropped', [r('2026-02-01T01:00Z', '2026-02-01T01:00Z')], []],
  ])('%s', (_name, input, expected) => {
    expect(iso(mergeRanges(input))).toEqual(expected);
  });
});

describe('excludedParts', () => {
  it.each([
    [
      'clipped to the window start',
      [r('2026-01-31T23:00Z', '2026-02-01T01:00Z')],
      [['2026-02-01T00:00:00.000Z', '2026-02-01T01:00:00.000Z']],
    ],
    [
      'clipped to the window end',
      [r('2026-02-01T23:30Z', '2026-02-02T02:00Z')],
      [['2026-02-01T23:30:00.000Z', '2026-02-02T00:00:00.000Z']],
    ],
    ['outside the window dropped', [r('2026-02-03T00:00Z', '2026-02-03T01:00Z')], []],
    [
      'widened to whole seconds',
      [r('2026-02-01T01:00:00.250Z', '2026-02-01T01:00:09.100Z')],
      [['2026-02-01T01:00:00.000Z', '2026-02-01T01:00:10.000Z']],
    ],
    [
      'merged after clipping',
      [
        r('2026-02-01T01:00Z', '2026-02-01T03:00Z'),
        r('2026-02-01T02:00Z', '2026-02-01T04:00Z'),
        r('2026-02-01T10:00Z', '2026-02-01T10:30Z'),
      ],
      [
        ['2026-02-01T01:00:00.000Z', '2026-02-01T04:00:00.000Z'],
        ['2026-02-01T10:00:00.000Z', '2026-02-01T10:30:00.000Z'],
      ],
    ],
  ])('%s', (_name, input, expected) => {
    expect(iso(excludedParts(input, window))).toEqual(expected);
  });

  it('counts merged seconds once', () => {
    const parts = excludedParts(
      [r('2026-02-01T01:00Z', '2026-02-01T03:00Z'), r('2026-02-01T02:00Z', '2026-02-01T04:00Z')],
      window,
    );
    expect(excludedSeconds(parts)).toBe(3 * 3600);
  });
});

describe('exclusionTerms', () => {
  it('reads each part as its range ending at its end', () => {
    const terms = exclusionTerms(
      [r('2026-02-01T01:00Z', '2026-02-01T03:30Z'), r('2026-02-01T23:59:30Z', '2026-02-03T00:00Z')],
      window,
    );
    expect(terms.map((t) => [t.range, t.at.toISOString()])).toEqual([
      ['2h30m', '2026-02-01T03:30:00.000Z'],
      ['30s', '2026-02-02T00:00:00.000Z'],
    ]);
  });
});

describe('countLessExcluded', () => {
  it.each([
    [100, [10, undefined, 5], 85],
    [100, [], 100],
    [undefined, [10], undefined],
    [10, [10.000000001], 0],
  ])('%p less %p is %p', (whole, parts, expected) => {
    expect(countLessExcluded(whole, parts)).toBe(expected);
  });
});
