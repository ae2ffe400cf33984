/** Block this thread for `ms` (dp's runs are synchronous; waiting for a lock or a writer is rare and short). */
export function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}
