import { re2SyntaxError } from './re2';

describe('re2SyntaxError', () => {
  test.each(['5..', '(?i)api', '(?P<name>a|b)', '\\d+', 'a{1000}', ''])('%s is RE2', (pattern) => {
    expect(re2SyntaxError(pattern)).toBeNull();
  });
  test.each([
    ['(a)\\1', 'invalid escape sequence'],
    ['[', 'missing closing ]'],
    ['a)|(b', 'unexpected )'],
    ['a{1001}', 'invalid repeat count'],
    ['(?=a)b', 'invalid or unsupported Perl syntax'],
  ])('%s is refused: %s', (pattern, message) => {
    expect(re2SyntaxError(pattern)).toContain(message);
  });
});
