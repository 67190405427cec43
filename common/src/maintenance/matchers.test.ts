import type { Matcher } from '../api/maintenance-window';
import { MatcherInput } from '../api/maintenance-window';
import { breadthProblem, matchersProblem } from './matchers';

const m = (name: string, op: Matcher['op'], value: string): Matcher => ({ name, op, value });

describe('matchersProblem', () => {
  const cases: Array<[string, Matcher[], string | null]> = [
    ['plain equality', [m('maintenance', '=', 'allowed')], null],
    ['negative only', [m('severity', '!=', 'page')], 'matchers'],
    ['negative next to a positive', [m('severity', '!=', 'page'), m('service', '=', 'db')], null],
    ['regex that matches the empty string', [m('service', '=~', 'db|')], 'matchers'],
    ['regex that does not', [m('service', '=~', 'db|cache')], null],
    ['negated regex of .*', [m('service', '!~', '.*')], null],
    ['negated regex of a name', [m('service', '!~', 'db')], 'matchers'],
    ['broken regex', [m('service', '=', 'x'), m('job', '=~', 'a(b')], 'matchers.1.value'],
    ['empty equality', [m('service', '=', '')], 'matchers'],
    ['RE2 flags Alertmanager accepts', [m('service', '=~', '(?i)api')], null],
    [
      'a back-reference RE2 does not have',
      [m('service', '=', 'x'), m('job', '=~', '(a)\\1')],
      'matchers.1.value',
    ],
    ['lookahead RE2 does not have', [m('service', '=~', '(?=a)a')], 'matchers.0.value'],
    ['a value that escapes the anchoring group', [m('service', '=~', 'a)|(b')], 'matchers.0.value'],
    // Alertmanager accepts it (the label must be set); breadthProblem is what refuses it for editors.
    ['a negated empty regex', [m('alertname', '!~', '')], null],
  ];
  it.each(cases)('%s', (_name, matchers, field) => {
    expect(matchersProblem(matchers)?.field ?? null).toBe(field);
  });
});

describe('breadthProblem', () => {
  it.each([
    [[m('alertname', '=~', '.+')], 'matchers'],
    [[m('alertname', '!~', '')], 'matchers'],
    [[m('alertname', '=', '')], 'matchers'],
    [[m('severity', '!=', 'page'), m('service', '=~', 'db|cache')], 'matchers'],
    [[m('alertname', '=~', '.+'), m('service', '=', 'db')], null],
  ])('%j -> %s', (matchers, field) => {
    expect(breadthProblem(matchers)?.field ?? null).toBe(field);
  });
});

describe('MatcherInput', () => {
  it.each([
    [{ name: 'a', value: 'x', isRegex: false, isEqual: true }, '='],
    [{ name: 'a', value: 'x', isRegex: false, isEqual: false }, '!='],
    [{ name: 'a', value: 'x', isRegex: true, isEqual: true }, '=~'],
    [{ name: 'a', value: 'x', isRegex: true, isEqual: false }, '!~'],
    [{ name: 'a', value: 'x', isRegex: true }, '=~'],
    [{ name: 'a', value: 'x' }, '='],
    [{ name: 'a', value: 'x', op: '!~' }, '!~'],
  ])("normalises Alertmanager's %j to op %s", (input, op) => {
    expect(MatcherInput.parse(input)).toEqual({ name: 'a', op, value: 'x' });
  });

  it('refuses op together with isRegex, naming op', () => {
    const result = MatcherInput.safeParse({ name: 'a', value: 'x', op: '=', isRegex: true });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => i.path)).toEqual([['op']]);
  });
});
