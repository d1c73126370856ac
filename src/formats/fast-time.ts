/**
 * Timestamp readers on char codes for the hot path (one call per log line; luxon costs ~100× more).
 * Every reader parses exactly the range [start, end) and returns null when it does not match.
 */

export const MS_PER_HOUR = 3_600_000;
const MS_PER_DAY = 86_400_000;
const DIGIT_0 = 48;
const MONTH_ABBREVIATIONS = 'JanFebMarAprMayJunJulAugSepOctNovDec';

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * ((month + 9) % 12) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** Epoch ms of a civil date-time read as UTC; null for an impossible one. `second` 60 (leap second) is accepted. */
export function civilToMs(
  year: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
  second: number,
  millis: number,
): number | null {
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  if (hour > 23 || minute > 59 || second > 60) return null;
  return daysFromCivil(year, month, day) * MS_PER_DAY + ((hour * 60 + minute) * 60 + second) * 1000 + millis;
}

/** The number written by `length` ASCII digits at `at`, or -1. */
function digitsAt(text: string, at: number, length: number): number {
  let value = 0;
  for (let i = at; i < at + length; i++) {
    const d = text.charCodeAt(i) - DIGIT_0;
    if (d < 0 || d > 9) return -1;
    value = value * 10 + d;
  }
  return value;
}

/** Milliseconds of a `.f{1,9}` fraction spanning [dot, end) (truncated, not rounded), or -1. */
function fractionMs(text: string, dot: number, end: number): number {
  const count = end - dot - 1;
  if (text.charCodeAt(dot) !== 46 || count < 1 || count > 9) return -1;
  let millis = 0;
  for (let i = 1; i <= count; i++) {
    const d = text.charCodeAt(dot + i) - DIGIT_0;
    if (d < 0 || d > 9) return -1;
    if (i <= 3) millis = millis * 10 + d;
  }
  return count >= 3 ? millis : count === 2 ? millis * 10 : millis * 100;
}

/** Optional fraction from `at` to `end`: 0 when absent, -1 when malformed. */
function optionalFractionMs(text: string, at: number, end: number): number {
  return at === end ? 0 : fractionMs(text, at, end);
}

/** `HH:MM:SS` at `at` as ms of the day, or -1 (no range check beyond two digits each). */
function clockAt(text: string, at: number): number {
  if (text.charCodeAt(at + 2) !== 58 || text.charCodeAt(at + 5) !== 58) return -1;
  const hour = digitsAt(text, at, 2);
  const minute = digitsAt(text, at + 3, 2);
  const second = digitsAt(text, at + 6, 2);
  if (hour < 0 || minute < 0 || second < 0 || hour > 23 || minute > 59 || second > 60) return -1;
  return ((hour * 60 + minute) * 60 + second) * 1000;
}

/** 1-12 for the English month abbreviation at `at` (`Jan`..`Dec`, case-sensitive), or -1. */
function monthAt(text: string, at: number): number {
  const c0 = text.charCodeAt(at);
  const c1 = text.charCodeAt(at + 1);
  const c2 = text.charCodeAt(at + 2);
  for (let m = 0; m < 12; m++) {
    const i = m * 3;
    if (
      MONTH_ABBREVIATIONS.charCodeAt(i) === c0 &&
      MONTH_ABBREVIATIONS.charCodeAt(i + 1) === c1 &&
      MONTH_ABBREVIATIONS.charCodeAt(i + 2) === c2
    ) {
      return m + 1;
    }
  }
  return -1;
}

/** Day of month written as `DD`, ` D` (space-padded) at `at`, or -1. */
function paddedDayAt(text: string, at: number): number {
  return text.charCodeAt(at) === 32 ? digitsAt(text, at + 1, 1) : digitsAt(text, at, 2);
}

/**
 * RFC3339 / RFC3339Nano (`YYYY-MM-DDTHH:MM:SS[.f{1,9}](Z|±HH:MM)`, `T` or a space between date and time)
 * → UTC epoch ms.
 */
export function parseRfc3339(text: string, start = 0, end = text.length): number | null {
  if (end - start < 20) return null;
  const sep = text.charCodeAt(start + 10);
  if (text.charCodeAt(start + 4) !== 45 || text.charCodeAt(start + 7) !== 45 || (sep !== 84 && sep !== 116 && sep !== 32)) {
    return null;
  }
  const year = digitsAt(text, start, 4);
  const month = digitsAt(text, start + 5, 2);
  const day = digitsAt(text, start + 8, 2);
  const clock = clockAt(text, start + 11);
  if (year < 0 || month < 0 || day < 0 || clock < 0) return null;

  let zoneAt = start + 19;
  let millis = 0;
  if (text.charCodeAt(zoneAt) === 46) {
    let fractionEnd = zoneAt + 1;
    while (fractionEnd < end && isDigitCode(text.charCodeAt(fractionEnd))) fractionEnd++;
    millis = fractionMs(text, zoneAt, fractionEnd);
    if (millis < 0) return null;
    zoneAt = fractionEnd;
  }
  let offsetMinutes: number;
  const zoneChar = text.charCodeAt(zoneAt);
  if (zoneChar === 90 || zoneChar === 122) {
    if (zoneAt + 1 !== end) return null;
    offsetMinutes = 0;
  } else if (zoneChar === 43 || zoneChar === 45) {
    if (zoneAt + 6 !== end || text.charCodeAt(zoneAt + 3) !== 58) return null;
    const hours = digitsAt(text, zoneAt + 1, 2);
    const minutes = digitsAt(text, zoneAt + 4, 2);
    if (hours < 0 || minutes < 0 || hours > 23 || minutes > 59) return null;
    offsetMinutes = (hours * 60 + minutes) * (zoneChar === 45 ? -1 : 1);
  } else {
    return null;
  }
  const wall = civilToMs(year, month, day, 0, 0, 0, clock + millis);
  return wall === null ? null : wall - offsetMinutes * 60_000;
}

function isDigitCode(code: number): boolean {
  return code >= 48 && code <= 57;
}

/**
 * A wall time without year (and zone): month * 1e10 + ms since the start of that month.
 * Packed into a number so the hot path allocates nothing; see year-anchor.ts for the year.
 */
export type YearlessTime = number;

const MONTH_FACTOR = 1e10;

function packYearless(month: number, day: number, msOfDay: number): YearlessTime | null {
  if (month < 1 || month > 12 || day < 1 || day > 31 || msOfDay < 0) return null;
  return month * MONTH_FACTOR + (day - 1) * MS_PER_DAY + msOfDay;
}

export function yearlessMonth(time: YearlessTime): number {
  return Math.floor(time / MONTH_FACTOR);
}

/** The wall time (as if UTC) of a year-less time in `year`; null when that year lacks the date (Feb 29). */
export function yearlessToWallMs(time: YearlessTime, year: number): number | null {
  const month = yearlessMonth(time);
  const inMonth = time - month * MONTH_FACTOR;
  const day = Math.floor(inMonth / MS_PER_DAY) + 1;
  if (day > daysInMonth(year, month)) return null;
  return daysFromCivil(year, month, 1) * MS_PER_DAY + inMonth;
}

/** journald/syslog `Mon DD HH:MM:SS[.f{1,9}]` (day zero- or space-padded) → year-less wall time. */
export function parseMonthDayTime(text: string, start: number, end: number): YearlessTime | null {
  if (end - start < 15 || text.charCodeAt(start + 3) !== 32 || text.charCodeAt(start + 6) !== 32) return null;
  const month = monthAt(text, start);
  const day = paddedDayAt(text, start + 4);
  const clock = clockAt(text, start + 7);
  const millis = optionalFractionMs(text, start + 15, end);
  if (month < 0 || day < 0 || clock < 0 || millis < 0) return null;
  return packYearless(month, day, clock + millis);
}

/** klog `MMDD HH:MM:SS[.ffffff]` → year-less wall time. */
export function parseKlogTime(text: string, start: number, end: number): YearlessTime | null {
  if (end - start < 13 || text.charCodeAt(start + 4) !== 32) return null;
  const month = digitsAt(text, start, 2);
  const day = digitsAt(text, start + 2, 2);
  const clock = clockAt(text, start + 5);
  const millis = optionalFractionMs(text, start + 13, end);
  if (month < 0 || day < 0 || clock < 0 || millis < 0) return null;
  return packYearless(month, day, clock + millis);
}

/** Go `log` / Rancher `YYYY/MM/DD HH:MM:SS[.ffffff]` → wall ms (as if UTC; the zone is the caller's). */
export function parseSlashDateTime(text: string, start: number, end: number): number | null {
  if (end - start < 19 || text.charCodeAt(start + 4) !== 47 || text.charCodeAt(start + 7) !== 47) return null;
  if (text.charCodeAt(start + 10) !== 32) return null;
  const year = digitsAt(text, start, 4);
  const month = digitsAt(text, start + 5, 2);
  const day = digitsAt(text, start + 8, 2);
  const clock = clockAt(text, start + 11);
  const millis = optionalFractionMs(text, start + 19, end);
  if (year < 0 || month < 0 || day < 0 || clock < 0 || millis < 0) return null;
  return civilToMs(year, month, day, 0, 0, 0, clock + millis);
}

/** C `ctime` as printed by `dmesg -T`: `Www Mmm dd HH:MM:SS YYYY` → wall ms (as if UTC). */
export function parseCtime(text: string, start: number, end: number): number | null {
  if (end - start !== 24 || text.charCodeAt(start + 3) !== 32 || text.charCodeAt(start + 7) !== 32) return null;
  if (text.charCodeAt(start + 10) !== 32 || text.charCodeAt(start + 19) !== 32) return null;
  const month = monthAt(text, start + 4);
  const day = paddedDayAt(text, start + 8);
  const clock = clockAt(text, start + 11);
  const year = digitsAt(text, start + 20, 4);
  if (month < 0 || day < 0 || clock < 0 || year < 0) return null;
  return civilToMs(year, month, day, 0, 0, 0, clock);
}

/**
 * A time value of a structured line (logfmt `ts=`, JSON `"ts"`): RFC3339, or epoch seconds / ms as a decimal
 * number (zap's float `ts`). Epoch values outside 2001..2286 are not times and give null.
 */
export function parseTimeValue(value: string): number | null {
  const c0 = value.charCodeAt(0);
  if (value.length >= 20 && value.charCodeAt(4) === 45) return parseRfc3339(value);
  if (!isDigitCode(c0)) return null;
  return epochToMs(Number(value));
}

/** Epoch seconds (1e9..1e10) or ms (1e12..1e13) → ms; null for anything else. */
export function epochToMs(value: number): number | null {
  if (value >= 1e9 && value < 1e10) return Math.floor(value * 1000);
  if (value >= 1e12 && value < 1e13) return Math.floor(value);
  return null;
}
