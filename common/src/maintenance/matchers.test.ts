import type { Matcher } from '../api/maintenance-window';
import { matchersProblem } from './matchers';

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
  ];
  it.each(cases)('%s', (_name, matchers, field) => {
    expect(matchersProblem(matchers)?.field ?? null).toBe(field);
  });
});
