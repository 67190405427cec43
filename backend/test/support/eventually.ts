// Polling for what a real component does in its own time (Alertmanager's group_wait, a retry).

/** Polls until `check` stops throwing, then returns its value; rethrows its last error after the timeout. */
export async function eventually<T>(check: () => Promise<T>, timeoutMs = 15_000, everyMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, everyMs));
    }
  }
}
