// Readiness checks without sleeps standing in for them: poll a condition until it holds.

/** Polls `check` every 50 ms until it returns a value other than null; fails after `timeoutMs`, naming `what` it waited for. */
export async function until<T>(check: () => T | null | Promise<T | null>, what = 'the condition', timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== null) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
