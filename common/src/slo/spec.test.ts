import { SloCreate } from './spec';

const slo = (id: string) => ({
  id,
  name: 'API availability',
  service: 'api',
  objective: 99.9,
  indicator: { kind: 'ratio', errors: 'x{code=~"5.."}', total: 'x' },
});

describe('SLO ids', () => {
  it.each(['rules', 'status', 'import'])('refuses "%s", which a fixed /slos route answers', (id) => {
    const result = SloCreate.safeParse(slo(id));
    expect(result.success).toBe(false);
    expect(result.error?.issues).toEqual([
      expect.objectContaining({
        path: ['id'],
        message: expect.stringContaining(
          `"${id}" is taken by the route /api/v1/slos/${id}; choose another id`,
        ),
      }),
    ]);
  });

  it.each(['rules-api', 'import-latency', 'api-status'])('accepts "%s"', (id) => {
    expect(SloCreate.safeParse(slo(id)).success).toBe(true);
  });
});
