/**
 * Waits until `check` holds, polling every few ms. The timeout only bounds a test that would otherwise hang: it is
 * no time budget (a busy 2-core machine runs CI), so callers keep it generous.
 */
export async function waitFor(
  check: () => boolean | Promise<boolean>,
  timeoutMs = 20_000,
  what = 'condition',
): Promise<void> {
  const start = Date.now();
  while (!(await check())) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}
