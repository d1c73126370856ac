import { describe, expect, it } from 'vitest';
import { closingQuote, unescapeGo } from '../../src/formats/go-quoted.js';
import { pairsToFields, scanKeyValues } from '../../src/formats/key-values.js';
import { levelFromKlogLetter, levelFromWord } from '../../src/formats/level.js';

describe('Go-quoted strings', () => {
  it('finds the closing quote past escaped quotes', () => {
    const text = 'msg="a \\"b\\" c" x=1';
    expect(closingQuote(text, 4)).toBe(14);
    expect(closingQuote('msg="open', 4)).toBe(9);
  });

  it('decodes strconv.Quote escapes', () => {
    const text = String.raw`a\"b\\c\nd\te\x41\u00e9\U0001F600\q`;
    expect(unescapeGo(text, 0, text.length)).toBe('a"b\\c\nd\teAé😀q');
    expect(unescapeGo('plain', 0, 5)).toBe('plain');
    expect(unescapeGo('end\\', 0, 4)).toBe('end\\');
    expect(unescapeGo('bad\\x4', 0, 6)).toBe('bad\\x4');
  });
});

describe('scanKeyValues', () => {
  it('reads quoted, bare and empty values in order', () => {
    expect(scanKeyValues('a=1 b="x y" c= d', 0)).toEqual(['a', '1', 'b', 'x y', 'c', '', 'd', '']);
  });

  it('skips an empty key and tolerates tabs and trailing blanks', () => {
    expect(scanKeyValues('=v a=1\tb=2  ', 0)).toEqual(['a', '1', 'b', '2']);
  });

  it('builds fields without prototype keys clashing, first occurrence winning', () => {
    const fields = pairsToFields(['__proto__', 'x', 'a', '1', 'a', '2', 'msg', 'm'], (key) => key === 'msg')!;
    expect(Object.keys(fields)).toEqual(['__proto__', 'a']);
    expect('constructor' in fields).toBe(false);
    expect(fields.a).toBe('1');
    expect(pairsToFields(['msg', 'm'], (key) => key === 'msg')).toBeNull();
  });
});

describe('levels', () => {
  it.each([
    ['info', 'info'],
    ['INFO', 'info'],
    ['warn', 'warning'],
    ['warning', 'warning'],
    ['WARN', 'warning'],
    ['err', 'error'],
    ['error', 'error'],
    ['ERROR', 'error'],
    ['fatal', 'fatal'],
    ['panic', 'fatal'],
    ['debug', 'debug'],
    ['trace', 'trace'],
    ['verbose', null],
    ['', null],
  ])('%j → %j', (word, level) => {
    expect(levelFromWord(word)).toBe(level);
  });

  it('maps klog letters', () => {
    expect(['I', 'W', 'E', 'F', 'X'].map((letter) => levelFromKlogLetter(letter.charCodeAt(0)))).toEqual([
      'info',
      'warning',
      'error',
      'fatal',
      null,
    ]);
  });
});
