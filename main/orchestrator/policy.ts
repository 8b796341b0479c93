// Time limits of a pattern run. A step that takes longer than its timeout, or a run that reaches the
// deadline, is abandoned: its panel says so and the other panels are returned as they are.

/** Default per-step timeout; a step may set its own `timeout_ms` (at most the pattern deadline). */
export const STEP_TIMEOUT_MS = 10_000;

/** The whole pattern must settle within this; steps still running are abandoned, unstarted skipped. */
export const PATTERN_DEADLINE_MS = 30_000;

/** Completed runs kept in memory (least recently used evicted first). */
export const PATTERN_CACHE_ENTRIES = 64;
