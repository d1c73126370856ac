import { describe, expect, it } from 'vitest';
import {
  civilToMs,
  parseCtime,
  parseKlogTime,
  parseMonthDayTime,
  parseRfc3339,
  parseSlashDateTime,
  parseTimeValue,
  yearlessMonth,
  yearlessToWallMs,
} from '../../src/formats/fast-time.js';
import { utc } from './helpers.js';

const whole = <T>(parse: (text: string, start: number, end: number) => T) => (text: string) => parse(text, 0, text.length);

describe('parseRfc3339', () => {
  it.each([
    ['2024-02-22T16:09:12Z', '2024-02-22T16:09:12.000Z'],
    ['2024-01-31T13:23:48.555760707Z', '2024-01-31T13:23:48.555Z'],
    ['2022-07-27T21:17:17.094Z', '2022-07-27T21:17:17.094Z'],
    ['2025-06-03T14:23:58.155036Z', '2025-06-03T14:23:58.155Z'],
    ['2022-01-01T01:48:46.816097099-05:00', '2022-01-01T06:48:46.816Z'],
    ['2025-03-30T03:00:00+02:00', '2025-03-30T01:00:00.000Z'],
    ['2024-02-29T23:59:59.9Z', '2024-02-29T23:59:59.900Z'],
    ['2024-01-01 00:00:00.12Z', '2024-01-01T00:00:00.120Z'],
    ['1969-12-31T23:59:59Z', '1969-12-31T23:59:59.000Z'],
  ])('%s', (text, iso) => {
    expect(parseRfc3339(text)).toBe(utc(iso));
  });

  it('parses a range inside a longer line', () => {
    const line = 'time="2025-01-14T00:00:01Z" level=info';
    expect(parseRfc3339(line, 6, 26)).toBe(utc('2025-01-14T00:00:01Z'));
  });

  it.each([
    '',
    '2024-02-22T16:09:12',
    '2024-02-22T16:09:12+0100',
    '2024-02-30T16:09:12Z',
    '2023-02-29T00:00:00Z',
    '2024-13-01T00:00:00Z',
    '2024-02-22T24:00:00Z',
    '2024-02-22T16:60:00Z',
    '2024-02-22T16:09:12.Z',
    '2024-02-22T16:09:12.1234567891Z',
    '2024-02-22T16:09:12Zx',
    '2024/02/22T16:09:12Z',
    'x024-02-22T16:09:12Z',
  ])('rejects %j', (text) => {
    expect(parseRfc3339(text)).toBeNull();
  });
});

describe('year-less and zone-less readers', () => {
  it('reads journald short-precise and short times', () => {
    const precise = parseMonthDayTime('Feb 09 14:28:55.123456', 0, 22);
    expect(precise).not.toBeNull();
    expect(yearlessMonth(precise!)).toBe(2);
    expect(yearlessToWallMs(precise!, 2025)).toBe(utc('2025-02-09T14:28:55.123Z'));
    const short = whole(parseMonthDayTime)('Nov 28 21:37:32');
    expect(yearlessToWallMs(short!, 2024)).toBe(utc('2024-11-28T21:37:32Z'));
    const spacePadded = whole(parseMonthDayTime)('Feb  9 00:15:09');
    expect(yearlessToWallMs(spacePadded!, 2025)).toBe(utc('2025-02-09T00:15:09Z'));
  });

  it('knows a year-less Feb 29 only in leap years', () => {
    const leapDay = whole(parseMonthDayTime)('Feb 29 12:00:00');
    expect(yearlessToWallMs(leapDay!, 2024)).toBe(utc('2024-02-29T12:00:00Z'));
    expect(yearlessToWallMs(leapDay!, 2025)).toBeNull();
  });

  it.each(['Foo 09 14:28:55', 'feb 09 14:28:55', 'Feb 32 14:28:55', 'Feb 09 14:28', 'Feb 09 25:00:00', 'Feb 09 14:28:55.'])(
    'rejects journald time %j',
    (text) => {
      expect(whole(parseMonthDayTime)(text)).toBeNull();
    },
  );

  it('reads klog MMDD HH:MM:SS.uuuuuu', () => {
    const time = whole(parseKlogTime)('1022 15:16:47.802112');
    expect(yearlessToWallMs(time!, 2024)).toBe(utc('2024-10-22T15:16:47.802Z'));
    expect(whole(parseKlogTime)('1322 15:16:47.802112')).toBeNull();
    expect(whole(parseKlogTime)('10221 5:16:47.802112')).toBeNull();
  });

  it('reads Go log YYYY/MM/DD HH:MM:SS as a wall time', () => {
    expect(whole(parseSlashDateTime)('2024/10/02 09:26:41')).toBe(utc('2024-10-02T09:26:41Z'));
    expect(whole(parseSlashDateTime)('2024/10/02 09:26:41.123456')).toBe(utc('2024-10-02T09:26:41.123Z'));
    expect(whole(parseSlashDateTime)('2024-10-02 09:26:41')).toBeNull();
  });

  it('reads dmesg -T ctime', () => {
    expect(whole(parseCtime)('Sun Feb  9 00:15:09 2025')).toBe(utc('2025-02-09T00:15:09Z'));
    expect(whole(parseCtime)('Mon Dec 30 23:59:59 2024')).toBe(utc('2024-12-30T23:59:59Z'));
    expect(whole(parseCtime)('Sun Feb  9 00:15:09')).toBeNull();
  });
});

describe('civilToMs', () => {
  it('agrees with Date.UTC over four centuries of month starts', () => {
    for (let year = 1900; year <= 2300; year += 7) {
      for (let month = 1; month <= 12; month++) {
        expect(civilToMs(year, month, 1, 0, 0, 0, 0)).toBe(Date.UTC(year, month - 1, 1));
      }
    }
  });
});

describe('parseTimeValue', () => {
  it('reads RFC3339 and epoch seconds or ms', () => {
    expect(parseTimeValue('2024-01-04T16:02:01.020889Z')).toBe(utc('2024-01-04T16:02:01.020Z'));
    expect(parseTimeValue('1704384121.020889')).toBe(utc('2024-01-04T16:02:01.020Z'));
    expect(parseTimeValue('1704384121020')).toBe(utc('2024-01-04T16:02:01.020Z'));
  });

  it('gives null for what is not a time', () => {
    expect(parseTimeValue('12')).toBeNull();
    expect(parseTimeValue('now')).toBeNull();
    expect(parseTimeValue('')).toBeNull();
  });
});
