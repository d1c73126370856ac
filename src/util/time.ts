const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** ISO-8601 UTC with milliseconds, the one way times are printed. */
export const toIso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

/** `09:41:07` (UTC), where the day is given elsewhere. */
export const clockTime = (ms: number): string => new Date(ms).toISOString().slice(11, 19);

/** `09:41` (UTC). */
export const clockMinute = (ms: number): string => new Date(ms).toISOString().slice(11, 16);

/** `2025-06-10 14:02` (UTC), for times days away from the rest. */
export const dayMinute = (ms: number): string => `${new Date(ms).toISOString().slice(0, 10)} ${clockMinute(ms)}`;

/** A duration in prose (messages, incident titles): `42 s`, `75 min`, `3 h 05 min`. */
export const spokenDuration = (ms: number): string => {
  const abs = Math.max(0, Math.round(Math.abs(ms)));
  if (abs < 2 * MINUTE) return `${Math.round(abs / 1000)} s`;
  if (abs < 2 * HOUR) return `${Math.round(abs / MINUTE)} min`;
  const hours = Math.floor(abs / HOUR);
  const minutes = Math.round((abs - hours * HOUR) / MINUTE);
  return minutes === 60 ? `${hours + 1} h 00 min` : `${hours} h ${String(minutes).padStart(2, '0')} min`;
};
