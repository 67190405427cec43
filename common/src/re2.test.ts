import { re2FullMatch, re2Problem } from './re2';

describe('re2Problem', () => {
  it.each([
    ['(?i)api', null],
    ['db|cache', null],
    ['[[:alpha:]]+', null],
    ['(a)\\1', /invalid escape sequence/],
    ['(?=a)', /Perl syntax/],
    ['a(b', /missing closing \)/],
    ['x{1001}', /repeat count/],
    ['a)|(b', /unexpected \)/],
  ])('%s', (pattern, problem) => {
    const found = re2Problem(pattern);
    if (problem === null) expect(found).toBeNull();
    else expect(found).toMatch(problem);
  });
});

describe('re2FullMatch', () => {
  it('matches the whole text, as the anchored form does', () => {
    expect(re2FullMatch('db', 'db')).toBe(true);
    expect(re2FullMatch('db', 'mydb')).toBe(false);
    expect(re2FullMatch('(?i)API', 'api')).toBe(true);
    expect(re2FullMatch('a|b', 'ab')).toBe(false);
  });
});
