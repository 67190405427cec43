// Applies a validated partial update: keys the caller sent replace the stored ones, absent keys stay.

export function mergePatch<T extends object>(current: T, patch: object): T {
  const next = { ...current } as Record<string, unknown>;
  for (const [k, v] of Object.entries(patch)) if (v !== undefined) next[k] = v;
  return next as T;
}
