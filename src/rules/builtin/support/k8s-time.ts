const RFC3339 = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:\d\d)$/;

/** An RFC 3339 time from an object field (creationTimestamp, finishedAt, ...) as epoch ms; null when absent or malformed. */
export const parseK8sTime = (value: unknown): number | null => {
  if (typeof value !== 'string' || !RFC3339.test(value)) return null;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? null : ms;
};
