import { toIso } from '../util/time.js';

/** `09:41:07` (UTC), for titles where the date is given by the incident's start. */
export const clockTime = (ms: number): string => toIso(ms)!.slice(11, 19);

/** `09:41` (UTC). */
export const clockMinute = (ms: number): string => toIso(ms)!.slice(11, 16);

/** `2025-06-10 14:02` (UTC), for times days away from the incident. */
export const dayMinute = (ms: number): string => `${toIso(ms)!.slice(0, 10)} ${clockMinute(ms)}`;

/** `11 s`, `75 min`, `2 h 5 min`. */
export function duration(ms: number): string {
  const s = Math.round(Math.abs(ms) / 1000);
  if (s < 120) return `${s} s`;
  const min = Math.round(s / 60);
  if (min < 120) return `${min} min`;
  return min % 60 === 0 ? `${Math.floor(min / 60)} h` : `${Math.floor(min / 60)} h ${min % 60} min`;
}

/** `1 VM`, `20 VMs`. */
export const counted = (n: number, noun: string, plural = `${noun}s`): string => `${n} ${n === 1 ? noun : plural}`;

/** The first few names and how many more: `a, b, c, +17 more`. */
export function someOf(names: readonly string[], shown = 3): string {
  const head = names.slice(0, shown).join(', ');
  return names.length > shown ? `${head}, +${names.length - shown} more` : head;
}
