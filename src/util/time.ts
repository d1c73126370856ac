/** ISO-8601 UTC with milliseconds, the one way times are printed. */
export const toIso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());
