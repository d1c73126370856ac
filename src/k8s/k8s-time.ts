/** RFC 3339 as the API server writes Time and MicroTime: `2025-07-03T01:15:45Z`, `...45.123456Z`, `...45+02:00`. */
const RFC3339 = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d{1,9})?(?:Z|[+-]\d\d:\d\d)$/;

/** Epoch ms of a Kubernetes timestamp, or null when the value is absent or not one. */
export function parseK8sTime(value: unknown): number | null {
  if (typeof value !== 'string' || !RFC3339.test(value)) return null;
  const ms = Date.parse(value);
  return Number.isFinite(ms) ? ms : null;
}
