/**
 * YAML exactly as support-bundle-kit writes it: `gopkg.in/yaml.v2` v2.2.8 encoding a JSON-decoded value
 * (maps with sorted keys, numbers as float64, block style, 80-column wrapping of long scalars).
 * A port of the parts of yaml.v2's encoder and libyaml emitter (encode.go, resolve.go, sorter.go, emitterc.go)
 * that JSON-shaped values reach. Support-bundle List files are produced by `bundleListChunks`.
 */

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

const BEST_INDENT = 2;
const BEST_WIDTH = 80;

// ---------- resolve.go: would a plain scalar read back as something other than a string? ----------

const BOOL_NULL_SPECIAL = new Set([
  'y', 'Y', 'yes', 'Yes', 'YES', 'true', 'True', 'TRUE', 'on', 'On', 'ON',
  'n', 'N', 'no', 'No', 'NO', 'false', 'False', 'FALSE', 'off', 'Off', 'OFF',
  '', '~', 'null', 'Null', 'NULL',
  '.nan', '.NaN', '.NAN', '.inf', '.Inf', '.INF', '+.inf', '+.Inf', '+.INF', '-.inf', '-.Inf', '-.INF',
]);
const YAML_STYLE_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;
const GO_FLOAT = /^[-+]?(\d+\.?\d*([eE][-+]?\d+)?|\.\d+([eE][-+]?\d+)?|inf|infinity|nan)$/i;
const BASE60_FLOAT = /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$/;
const INT64_MAX = 9223372036854775807n;
const UINT64_MAX = 18446744073709551615n;

function goParseInt(text: string): boolean {
  const m = /^([+-]?)(0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|0[0-7]*|[1-9][0-9]*)$/.exec(text);
  if (!m) return false;
  const digits = m[2];
  let value: bigint;
  if (/^0[oO]/.test(digits)) value = BigInt('0o' + digits.slice(2));
  else if (/^0[0-7]+$/.test(digits)) value = BigInt('0o' + digits.slice(1));
  else value = BigInt(digits);
  return m[1] === '-' ? value <= INT64_MAX + 1n : value <= UINT64_MAX;
}

const TIMESTAMP_FORMS = [
  /^(\d{4})-(\d{1,2})-(\d{1,2})[Tt](\d{1,2}):(\d{1,2}):(\d{1,2})(\.\d+)?(Z|[+-]\d{2}:\d{2})$/,
  /^(\d{4})-(\d{1,2})-(\d{1,2}) (\d{1,2}):(\d{1,2}):(\d{1,2})(\.\d+)?$/,
  /^(\d{4})-(\d{1,2})-(\d{1,2})$/,
];

function isTimestamp(text: string): boolean {
  for (const form of TIMESTAMP_FORMS) {
    const m = form.exec(text);
    if (!m) continue;
    const [month, day] = [Number(m[2]), Number(m[3])];
    if (month < 1 || month > 12 || day < 1 || day > 31) continue;
    if (m[4] !== undefined && (Number(m[4]) > 23 || Number(m[5]) > 59 || Number(m[6]) > 59)) continue;
    return true;
  }
  return false;
}

/** True when yaml.v2 may write the string unquoted (it resolves back to a string and is no base-60 float). */
function resolvesToString(text: string): boolean {
  const c = text[0];
  // resolve.go only looks a string up when its first byte hints at a non-string (resolveTable).
  if (text !== '' && !'+-0123456789yYnNtTfFoO~.'.includes(c)) return true;
  if (BOOL_NULL_SPECIAL.has(text)) return false;
  if (c === '.') return !GO_FLOAT.test(text);
  if (c === '+' || c === '-' || (c >= '0' && c <= '9')) {
    if (isTimestamp(text)) return false;
    const plain = text.replace(/_/g, '');
    if (goParseInt(plain)) return false;
    if (YAML_STYLE_FLOAT.test(plain)) return false;
    if (/^-?0b[01]+$/.test(plain)) return false;
    if (BASE60_FLOAT.test(text)) return false;
  }
  return true;
}

/** strconv.FormatFloat(f, 'g', -1, 64) as yaml.v2 uses it for every JSON number. */
export function goFloat(n: number): string {
  if (Number.isNaN(n)) return '.nan';
  if (!Number.isFinite(n)) return n > 0 ? '.inf' : '-.inf';
  if (n === 0) return Object.is(n, -0) ? '-0' : '0';
  const [mantissa, expText] = n.toExponential().split('e');
  const exp = Number(expText);
  if (exp < -4 || exp >= 6) {
    const sign = exp < 0 ? '-' : '+';
    return `${mantissa}e${sign}${String(Math.abs(exp)).padStart(2, '0')}`;
  }
  return String(n);
}

// ---------- sorter.go: yaml.v2's "natural" key order ----------

const isLetter = (c: string): boolean => /\p{L}/u.test(c);
const isDigit = (c: string): boolean => c >= '0' && c <= '9';

export function goKeyLess(a: string, b: string): boolean {
  const ar = Array.from(a);
  const br = Array.from(b);
  for (let i = 0; i < ar.length && i < br.length; i++) {
    if (ar[i] === br[i]) continue;
    const al = isLetter(ar[i]);
    const bl = isLetter(br[i]);
    if (al && bl) return ar[i] < br[i];
    if (al || bl) return bl;
    let an = 0;
    let bn = 0;
    if (ar[i] === '0' || br[i] === '0') {
      for (let j = i - 1; j >= 0 && isDigit(ar[j]); j--) {
        if (ar[j] !== '0') {
          an = 1;
          bn = 1;
          break;
        }
      }
    }
    let ai = i;
    let bi = i;
    for (; ai < ar.length && isDigit(ar[ai]); ai++) an = an * 10 + Number(ar[ai]);
    for (; bi < br.length && isDigit(br[bi]); bi++) bn = bn * 10 + Number(br[bi]);
    if (an !== bn) return an < bn;
    if (ai !== bi) return ai < bi;
    return ar[i] < br[i];
  }
  return ar.length < br.length;
}

const sortedKeys = (o: Record<string, unknown>): string[] =>
  Object.keys(o).sort((x, y) => (goKeyLess(x, y) ? -1 : goKeyLess(y, x) ? 1 : 0));

// ---------- emitterc.go: scalar analysis and writers ----------

type Style = 'plain' | 'single' | 'double' | 'literal';

interface Analysis {
  multiline: boolean;
  blockPlain: boolean;
  singleQuoted: boolean;
  blockAllowed: boolean;
}

const isBreak = (c: string | undefined): boolean =>
  c === '\r' || c === '\n' || c === '\u0085' || c === '\u2028' || c === '\u2029';
const isBlank = (c: string | undefined): boolean => c === ' ' || c === '\t';

function isPrintable(c: string): boolean {
  const cp = c.codePointAt(0)!;
  return (
    cp === 0x0a ||
    (cp >= 0x20 && cp <= 0x7e) ||
    cp === 0x85 ||
    (cp >= 0xa0 && cp <= 0xd7ff) ||
    (cp >= 0xe000 && cp <= 0xfffd && cp !== 0xfeff) ||
    (cp >= 0x10000 && cp <= 0x10ffff)
  );
}

function analyze(chars: string[]): Analysis {
  if (chars.length === 0) return { multiline: false, blockPlain: true, singleQuoted: true, blockAllowed: false };
  let blockIndicators = false;
  let lineBreaks = false;
  let special = false;
  let leadingSpace = false;
  let leadingBreak = false;
  let trailingSpace = false;
  let trailingBreak = false;
  let breakSpace = false;
  let spaceBreak = false;
  let previousSpace = false;
  let previousBreak = false;
  const head = chars.slice(0, 3).join('');
  if (head === '---' || head === '...') blockIndicators = true;
  let precededByWhitespace = true;
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i];
    const followedByWhitespace = i + 1 >= chars.length || isBlank(chars[i + 1]) || isBreak(chars[i + 1]);
    if (i === 0) {
      if ('#,[]{}&*!|>\'"%@`'.includes(c)) blockIndicators = true;
      else if ((c === '?' || c === ':' || c === '-') && followedByWhitespace) blockIndicators = true;
    } else if (c === ':' && followedByWhitespace) blockIndicators = true;
    else if (c === '#' && precededByWhitespace) blockIndicators = true;
    if (!isPrintable(c)) special = true;
    if (c === ' ') {
      if (i === 0) leadingSpace = true;
      if (i === chars.length - 1) trailingSpace = true;
      if (previousBreak) breakSpace = true;
      previousSpace = true;
      previousBreak = false;
    } else if (isBreak(c)) {
      lineBreaks = true;
      if (i === 0) leadingBreak = true;
      if (i === chars.length - 1) trailingBreak = true;
      if (previousSpace) spaceBreak = true;
      previousSpace = false;
      previousBreak = true;
    } else {
      previousSpace = false;
      previousBreak = false;
    }
    precededByWhitespace = isBlank(c) || isBreak(c);
  }
  let blockPlain = true;
  let singleQuoted = true;
  let blockAllowed = true;
  if (leadingSpace || leadingBreak || trailingSpace || trailingBreak) blockPlain = false;
  if (trailingSpace) blockAllowed = false;
  if (breakSpace) {
    blockPlain = false;
    singleQuoted = false;
  }
  if (spaceBreak || special) {
    blockPlain = false;
    singleQuoted = false;
    blockAllowed = false;
  }
  if (lineBreaks) blockPlain = false;
  if (blockIndicators) blockPlain = false;
  return { multiline: lineBreaks, blockPlain, singleQuoted, blockAllowed };
}

const ESCAPES: Record<number, string> = {
  0x00: '0', 0x07: 'a', 0x08: 'b', 0x09: 't', 0x0a: 'n', 0x0b: 'v', 0x0c: 'f', 0x0d: 'r',
  0x1b: 'e', 0x22: '"', 0x5c: '\\', 0x85: 'N', 0xa0: '_', 0x2028: 'L', 0x2029: 'P',
};

/** A block-style emitter with libyaml's column bookkeeping. Output accumulates in `out`. */
class Emitter {
  out = '';
  private column = 0;
  private indent = -1;
  private readonly indents: number[] = [];
  private whitespace = true;
  private indention = true;

  private put(s: string): void {
    this.out += s;
    this.column += Array.from(s).length;
  }

  private putBreak(): void {
    this.out += '\n';
    this.column = 0;
  }

  private increaseIndent(flow: boolean, indentless: boolean): void {
    this.indents.push(this.indent);
    if (this.indent < 0) this.indent = flow ? BEST_INDENT : 0;
    else if (!indentless) this.indent += BEST_INDENT;
  }

  private popIndent(): void {
    this.indent = this.indents.pop()!;
  }

  writeIndent(): void {
    const indent = Math.max(this.indent, 0);
    if (!this.indention || this.column > indent || (this.column === indent && !this.whitespace)) this.putBreak();
    while (this.column < indent) this.put(' ');
    this.whitespace = true;
    this.indention = true;
  }

  private writeIndicator(indicator: string, needWhitespace: boolean, isWhitespace: boolean, isIndention: boolean): void {
    if (needWhitespace && !this.whitespace) this.put(' ');
    this.put(indicator);
    this.whitespace = isWhitespace;
    this.indention = this.indention && isIndention;
  }

  node(value: JsonValue, ctx: { mapping: boolean; simpleKey: boolean }): void {
    if (Array.isArray(value)) this.sequence(value, ctx.mapping);
    else if (value !== null && typeof value === 'object') this.mapping(value);
    else this.scalar(value, ctx.simpleKey);
  }

  beginSequence(inMapping: boolean): void {
    this.increaseIndent(false, inMapping && !this.indention);
  }

  sequenceItem(value: JsonValue): void {
    this.writeIndent();
    this.writeIndicator('-', true, false, true);
    this.node(value, { mapping: false, simpleKey: false });
  }

  endBlock(): void {
    this.popIndent();
  }

  private sequence(items: JsonValue[], inMapping: boolean): void {
    if (items.length === 0) {
      this.writeIndicator('[', true, true, false);
      this.writeIndicator(']', false, false, false);
      return;
    }
    this.beginSequence(inMapping);
    for (const item of items) this.sequenceItem(item);
    this.endBlock();
  }

  beginMapping(): void {
    this.increaseIndent(false, false);
  }

  mappingEntry(key: string, value: JsonValue): void {
    this.writeIndent();
    this.scalar(key, true);
    this.writeIndicator(':', false, false, false);
    this.node(value, { mapping: true, simpleKey: false });
  }

  /** Writes `key:` and leaves the value to the caller (used to stream the List's items). */
  mappingKey(key: string): void {
    this.writeIndent();
    this.scalar(key, true);
    this.writeIndicator(':', false, false, false);
  }

  private mapping(map: { [key: string]: JsonValue }): void {
    const keys = sortedKeys(map);
    if (keys.length === 0) {
      this.writeIndicator('{', true, true, false);
      this.writeIndicator('}', false, false, false);
      return;
    }
    this.beginMapping();
    for (const key of keys) this.mappingEntry(key, map[key]);
    this.endBlock();
  }

  scalar(value: string | number | boolean | null, simpleKey: boolean): void {
    let text: string;
    let requested: Style;
    if (value === null) [text, requested] = ['null', 'plain'];
    else if (typeof value === 'boolean') [text, requested] = [String(value), 'plain'];
    else if (typeof value === 'number') [text, requested] = [goFloat(value), 'plain'];
    else {
      text = value;
      requested = text.includes('\n') ? 'literal' : resolvesToString(text) ? 'plain' : 'double';
    }
    const chars = Array.from(text);
    const a = analyze(chars);
    let style: Style = requested;
    if (simpleKey && a.multiline) style = 'double';
    if (style === 'plain') {
      if (!a.blockPlain) style = 'single';
      if (chars.length === 0 && simpleKey) style = 'single';
    }
    if (style === 'single' && !a.singleQuoted) style = 'double';
    if (style === 'literal' && (!a.blockAllowed || simpleKey)) style = 'double';
    this.increaseIndent(true, false);
    const allowBreaks = !simpleKey;
    if (style === 'plain') this.writePlain(chars, allowBreaks);
    else if (style === 'single') this.writeSingle(chars, allowBreaks);
    else if (style === 'double') this.writeDouble(chars, allowBreaks);
    else this.writeLiteral(chars);
    this.popIndent();
  }

  private writePlain(chars: string[], allowBreaks: boolean): void {
    if (!this.whitespace) this.put(' ');
    let spaces = false;
    for (let i = 0; i < chars.length; i++) {
      const c = chars[i];
      if (c === ' ') {
        if (allowBreaks && !spaces && this.column > BEST_WIDTH && chars[i + 1] !== ' ') this.writeIndent();
        else this.put(c);
        spaces = true;
      } else {
        this.put(c);
        this.indention = false;
        spaces = false;
      }
    }
    this.whitespace = false;
    this.indention = false;
  }

  private writeSingle(chars: string[], allowBreaks: boolean): void {
    this.writeIndicator("'", true, false, false);
    let spaces = false;
    let breaks = false;
    for (let i = 0; i < chars.length; i++) {
      const c = chars[i];
      if (c === ' ') {
        if (allowBreaks && !spaces && this.column > BEST_WIDTH && i > 0 && i < chars.length - 1 && chars[i + 1] !== ' ')
          this.writeIndent();
        else this.put(c);
        spaces = true;
      } else if (isBreak(c)) {
        if (!breaks && c === '\n') this.putBreak();
        this.putBreak();
        this.indention = true;
        breaks = true;
      } else {
        if (breaks) this.writeIndent();
        if (c === "'") this.put("'");
        this.put(c);
        this.indention = false;
        spaces = false;
        breaks = false;
      }
    }
    this.writeIndicator("'", false, false, false);
    this.whitespace = false;
    this.indention = false;
  }

  private writeDouble(chars: string[], allowBreaks: boolean): void {
    let spaces = false;
    this.writeIndicator('"', true, false, false);
    for (let i = 0; i < chars.length; i++) {
      const c = chars[i];
      const cp = c.codePointAt(0)!;
      if (!isPrintable(c) || cp === 0xfeff || isBreak(c) || c === '"' || c === '\\') {
        this.put('\\');
        const esc = ESCAPES[cp];
        if (esc !== undefined) this.put(esc);
        else if (cp <= 0xff) this.put('x' + cp.toString(16).toUpperCase().padStart(2, '0'));
        else if (cp <= 0xffff) this.put('u' + cp.toString(16).toUpperCase().padStart(4, '0'));
        else this.put('U' + cp.toString(16).toUpperCase().padStart(8, '0'));
        spaces = false;
      } else if (c === ' ') {
        if (allowBreaks && !spaces && this.column > BEST_WIDTH && i > 0 && i < chars.length - 1) {
          this.writeIndent();
          if (chars[i + 1] === ' ') this.put('\\');
        } else this.put(c);
        spaces = true;
      } else {
        this.put(c);
        spaces = false;
      }
    }
    this.writeIndicator('"', false, false, false);
    this.whitespace = false;
    this.indention = false;
  }

  private writeLiteral(chars: string[]): void {
    this.writeIndicator('|', true, false, false);
    if (chars[0] === ' ' || isBreak(chars[0])) this.writeIndicator(String(BEST_INDENT), false, false, false);
    const last = chars.length - 1;
    let chomp = '';
    if (!isBreak(chars[last])) chomp = '-';
    else if (last === 0 || isBreak(chars[last - 1])) chomp = '+';
    if (chomp) this.writeIndicator(chomp, false, false, false);
    this.putBreak();
    this.indention = true;
    this.whitespace = true;
    let breaks = true;
    for (const c of chars) {
      if (isBreak(c)) {
        this.putBreak();
        this.indention = true;
        breaks = true;
      } else {
        if (breaks) this.writeIndent();
        this.put(c);
        this.indention = false;
        breaks = false;
      }
    }
  }

  /** Takes what has been written so far. */
  drain(): string {
    const s = this.out;
    this.out = '';
    return s;
  }
}

/** yaml.Marshal of a JSON-shaped value, as yaml.v2 v2.2.8 writes it. */
export function goYamlMarshal(value: JsonValue): string {
  const e = new Emitter();
  e.node(value, { mapping: false, simpleKey: false });
  e.writeIndent();
  return e.out;
}

/**
 * support-bundle-kit's text substitutions on the API's list JSON before decoding it (collectors/common.go):
 * `"key":null,` → `"key":"null",` (alphabetic keys only, also inside escaped JSON), then every `""` → `"null"`.
 */
export function bundleJsonQuirks(apiJson: string): JsonValue {
  const replaced = apiJson
    .replace(/("[a-zA-Z]+":)(null,)/g, '$1"null",')
    .replace(/(\\"[a-zA-Z]+\\":)(null,)/g, '$1\\"null\\",')
    .replaceAll('""', '"null"');
  return JSON.parse(replaced) as JsonValue;
}

export interface ListOptions {
  /** API group/version of the items (`v1`, `apps/v1`, `harvesterhci.io/v1beta1`). */
  apiVersion: string;
  kind: string;
  resourceVersion: string;
  /** Custom resources are listed with `continue: ""` in the list metadata (→ `"null"`); built-in lists omit it. */
  customResource: boolean;
}

/**
 * The chunks of one `yamls/**.yaml` file: a `List` of `items` written the way support-bundle-kit does
 * (API JSON → quirks → `apiVersion`/`kind` set on every item → yaml.v2). Items are encoded one at a time.
 */
export function* bundleListChunks(items: Iterable<Record<string, unknown>>, opts: ListOptions): Generator<string> {
  const e = new Emitter();
  e.beginMapping();
  e.mappingEntry('apiVersion', 'v1');
  e.mappingKey('items');
  e.beginSequence(true);
  for (const item of items) {
    const decoded = bundleJsonQuirks(JSON.stringify(item)) as { [key: string]: JsonValue };
    decoded.apiVersion = opts.apiVersion;
    decoded.kind = opts.kind;
    e.sequenceItem(decoded);
    yield e.drain();
  }
  e.endBlock();
  e.mappingEntry('kind', 'List');
  const meta: { [key: string]: JsonValue } = { resourceVersion: opts.resourceVersion };
  if (opts.customResource) meta.continue = '';
  e.mappingEntry('metadata', bundleJsonQuirks(JSON.stringify(meta)));
  e.endBlock();
  e.writeIndent();
  yield e.drain();
}
