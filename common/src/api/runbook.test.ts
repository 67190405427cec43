import { RESERVED_RUNBOOK_IDS, RunbookCreate } from './runbook';

describe('runbook ids beside the fixed /runbooks routes', () => {
  const runbook = (id: string) => ({ id, title: 'Logs', body: 'x' });
  it.each(RESERVED_RUNBOOK_IDS)('refuses "%s", naming id and the route', (id) => {
    const result = RunbookCreate.safeParse(runbook(id));
    expect(result.error?.issues).toEqual([
      expect.objectContaining({
        path: ['id'],
        message: `"${id}" is taken by the route /api/v1/runbooks/${id}; choose another id (search is reserved)`,
      }),
    ]);
  });
  it.each(['log-search', 'search.logs', 'searches'])('accepts "%s"', (id) => {
    expect(RunbookCreate.safeParse(runbook(id)).success).toBe(true);
  });
});
