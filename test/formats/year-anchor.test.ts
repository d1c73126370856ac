import { describe, expect, it } from 'vitest';
import { parseMonthDayTime } from '../../src/formats/fast-time.js';
import { createWallClock, inferYear, isKnownZone } from '../../src/formats/year-anchor.js';
import { utc } from './helpers.js';

const yearless = (text: string) => parseMonthDayTime(text, 0, text.length)!;

describe('inferYear', () => {
  it('takes the anchor year for months up to the anchor month', () => {
    const anchor = utc('2025-07-03T01:15:45Z');
    expect(inferYear(1, anchor)).toBe(2025);
    expect(inferYear(7, anchor)).toBe(2025);
  });

  it('rolls back one year for months after the anchor month (Dec → Jan)', () => {
    const anchor = utc('2026-01-02T00:00:00Z');
    expect(inferYear(12, anchor)).toBe(2025);
    expect(inferYear(1, anchor)).toBe(2026);
    expect(inferYear(8, utc('2025-07-03T01:15:45Z'))).toBe(2024);
  });
});

describe('createWallClock', () => {
  it('places Dec 31 lines of a January bundle in the previous year', () => {
    const clock = createWallClock({ anchorMs: utc('2026-01-02T00:00:00Z'), zone: 'UTC' });
    expect(clock.yearlessToUtc(yearless('Dec 31 23:59:58.000001'))).toBe(utc('2025-12-31T23:59:58Z'));
    expect(clock.yearlessToUtc(yearless('Jan 01 00:00:01'))).toBe(utc('2026-01-01T00:00:01Z'));
  });

  it('applies a zone to wall times (Europe/Berlin, summer and winter)', () => {
    const clock = createWallClock({ anchorMs: utc('2025-07-03T01:15:45Z'), zone: 'Europe/Berlin' });
    expect(clock.yearlessToUtc(yearless('Jul 02 10:00:00'))).toBe(utc('2025-07-02T08:00:00Z'));
    expect(clock.yearlessToUtc(yearless('Jan 15 10:00:00.250'))).toBe(utc('2025-01-15T09:00:00.250Z'));
    expect(clock.wallToUtc(utc('2024-10-02T09:26:41Z'))).toBe(utc('2024-10-02T07:26:41Z'));
  });

  it('reads the anchor on the log zone wall clock for the year roll-over', () => {
    // 2025-12-31T23:30Z is already 2026-01-01 in Berlin: a Berlin `Jan 01` line belongs to 2026
    const clock = createWallClock({ anchorMs: utc('2025-12-31T23:30:00Z'), zone: 'Europe/Berlin' });
    expect(clock.yearlessToUtc(yearless('Jan 01 00:10:00'))).toBe(utc('2025-12-31T23:10:00Z'));
    expect(clock.yearlessToUtc(yearless('Dec 31 23:50:00'))).toBe(utc('2025-12-31T22:50:00Z'));
  });

  it('handles zones behind UTC and fixed offsets', () => {
    const newYork = createWallClock({ anchorMs: null, zone: 'America/New_York' });
    expect(newYork.wallToUtc(utc('2022-01-01T01:48:46Z'))).toBe(utc('2022-01-01T06:48:46Z'));
    const fixed = createWallClock({ anchorMs: null, zone: 'UTC+2' });
    expect(fixed.wallToUtc(utc('2022-01-01T02:00:00Z'))).toBe(utc('2022-01-01T00:00:00Z'));
  });

  it('keeps UTC wall times as they are', () => {
    const clock = createWallClock({ anchorMs: utc('2025-07-03T01:15:45Z'), zone: 'UTC' });
    expect(clock.wallToUtc(utc('2024-10-02T09:26:41Z'))).toBe(utc('2024-10-02T09:26:41Z'));
  });

  it('cannot place year-less times without an anchor', () => {
    const clock = createWallClock({ anchorMs: null, zone: 'UTC' });
    expect(clock.yearlessToUtc(yearless('Feb 09 14:28:55'))).toBeNull();
  });

  it('cannot place Feb 29 in an inferred non-leap year', () => {
    const clock = createWallClock({ anchorMs: utc('2025-07-03T01:15:45Z'), zone: 'UTC' });
    expect(clock.yearlessToUtc(yearless('Feb 29 12:00:00'))).toBeNull();
  });

  it('refuses an unknown zone', () => {
    expect(() => createWallClock({ anchorMs: null, zone: 'Mars/Olympus' })).toThrow(RangeError);
  });
});

describe('isKnownZone', () => {
  it('accepts IANA zones, UTC and fixed offsets, never the machine zone', () => {
    expect(isKnownZone('Europe/Berlin')).toBe(true);
    expect(isKnownZone('UTC')).toBe(true);
    expect(isKnownZone('UTC-5')).toBe(true);
    expect(isKnownZone('Mars/Olympus')).toBe(false);
    expect(isKnownZone('')).toBe(false);
    expect(isKnownZone('local')).toBe(false);
    expect(isKnownZone('system')).toBe(false);
  });
});
