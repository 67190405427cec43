import { EDITOR_QUERY_KINDS, QUERY_KIND_FILTERS, QUERY_KINDS, burnRateField, filterValues } from './frames';

describe('filterValues', () => {
  it.each([
    [undefined, []],
    ['', []],
    ['S1', ['S1']],
    ['S1,S2', ['S1', 'S2']],
    [' api , search ,, api ', ['api', 'search']],
  ])('%p → %p', (text, values) => expect(filterValues(text)).toEqual(values));
});

describe('query kinds', () => {
  it('gives every kind its filters and keeps annotation and variable kinds out of the query editor', () => {
    expect(Object.keys(QUERY_KIND_FILTERS).sort()).toEqual([...QUERY_KINDS].sort());
    expect(EDITOR_QUERY_KINDS).not.toContain('annotations');
    expect(EDITOR_QUERY_KINDS).not.toContain('variable-values');
    expect(EDITOR_QUERY_KINDS).toHaveLength(QUERY_KINDS.length - 2);
  });

  it('names burn-rate fields after their window', () => {
    expect(burnRateField('5m')).toBe('burn_5m');
  });
});
