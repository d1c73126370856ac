const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** A duration for messages: `42 s`, `17 min`, `3 h 05 min`. */
export const formatDuration = (ms: number): string => {
  const abs = Math.max(0, Math.round(ms));
  if (abs < MINUTE) return `${Math.round(abs / 1000)} s`;
  if (abs < HOUR) return `${Math.round(abs / MINUTE)} min`;
  const hours = Math.floor(abs / HOUR);
  const minutes = Math.round((abs - hours * HOUR) / MINUTE);
  return minutes === 60 ? `${hours + 1} h 00 min` : `${hours} h ${String(minutes).padStart(2, '0')} min`;
};

export const minutesBetween = (from: number, to: number): number => Math.round((to - from) / MINUTE);
