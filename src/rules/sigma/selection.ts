import type { Level } from '../../formats/types.js';
import { type EventView, resolveField } from './event-fields.js';
import { bestLiteralSet, requiredLiterals } from './regex-literal.js';

/** One `field|modifiers: value(s)` entry of a selection, as written. */
export interface FieldSpec {
  key: string;
  values: (string | null)[];
  line: number;
}

/** A selection: a map (all fields must match), a list of maps (any), or a list of keywords (any, on the raw line). */
export type SelectionSpec = { kind: 'maps'; maps: FieldSpec[][] } | { kind: 'keywords'; values: string[]; line: number };

/** Named groups captured by `|re` values while a line is tested. */
export type Captures = Record<string, string>;

export interface CompiledSelection {
  test(view: EventView, captures: Captures): boolean;
  /** Literals one of which every matching line's raw text contains; null when none can be proven. */
  literals: string[] | null;
}

type Report = (line: number, message: string) => void;

const MODIFIERS = new Set(['contains', 'startswith', 'endswith', 're', 'all']);
const LEVELS: readonly Level[] = ['trace', 'debug', 'info', 'warning', 'error', 'fatal'];
const FIELD_NAME = /^[A-Za-z_][\w.-]*$/;

export function compileSelection(spec: SelectionSpec, report: Report): CompiledSelection | null {
  if (spec.kind === 'keywords') {
    return compileMaps([[{ key: 'raw|contains', values: spec.values, line: spec.line }]], report);
  }
  return compileMaps(spec.maps, report);
}

function compileMaps(maps: FieldSpec[][], report: Report): CompiledSelection | null {
  const compiled = maps.map((fields) => fields.map((field) => compileField(field, report)));
  if (compiled.some((fields) => fields.some((field) => field === null))) return null;
  const alternatives = compiled as CompiledSelection[][];

  const mapLiterals = alternatives.map((fields) =>
    bestLiteralSet(fields.map((field) => field.literals).filter((set): set is string[] => set !== null)),
  );
  const literals = mapLiterals.some((set) => set === null) ? null : [...new Set(mapLiterals.flat() as string[])];

  return {
    literals,
    test: (view, captures) => alternatives.some((fields) => fields.every((field) => field.test(view, captures))),
  };
}

function compileField({ key, values, line }: FieldSpec, report: Report): CompiledSelection | null {
  const [name, ...modifiers] = key.split('|');
  let ok = true;
  const fail = (message: string): void => {
    report(line, message);
    ok = false;
  };
  if (!FIELD_NAME.test(name)) fail(`invalid field name "${name}"`);
  for (const modifier of modifiers) if (!MODIFIERS.has(modifier)) fail(`unknown modifier "${modifier}" in "${key}"`);
  if (new Set(modifiers).size !== modifiers.length) fail(`repeated modifier in "${key}"`);
  const operations = modifiers.filter((modifier) => modifier !== 'all');
  if (operations.length > 1) fail(`"${key}" combines ${operations.join(' and ')}; use one of contains, startswith, endswith, re`);
  if (values.length === 0) fail(`"${key}" has no value`);
  if (!ok) return null;

  const operation = (operations[0] ?? 'equals') as 'equals' | 'contains' | 'startswith' | 'endswith' | 're';
  const all = modifiers.includes('all');
  const tests: ((value: string | null, captures: Captures) => boolean)[] = [];
  const literalSets: (string[] | null)[] = [];
  const literalField = name === 'raw' || name === 'message';
  const toLiteral = (text: string): string => (name === 'message' ? longestSafeRun(text) : text);

  for (const value of values) {
    if (value === null) {
      if (operation !== 'equals') fail(`"${key}": null only works without modifiers (it means the field is absent)`);
      tests.push((actual) => actual === null || actual === '');
      literalSets.push(null);
      continue;
    }
    if (operation === 're') {
      let regex: RegExp;
      try {
        regex = new RegExp(value);
      } catch (error) {
        fail(`"${key}": ${(error as Error).message}`);
        continue;
      }
      tests.push((actual, captures) => {
        if (actual === null) return false;
        const match = regex.exec(actual);
        if (match === null) return false;
        for (const [group, text] of Object.entries(match.groups ?? {})) if (text !== undefined) captures[group] = text;
        return true;
      });
      const required = literalField ? requiredLiterals(value) : null;
      const usable = required?.map(toLiteral) ?? null;
      literalSets.push(usable && usable.every((literal) => literal.length > 0) ? usable : null);
      continue;
    }
    const text = unescapeValue(value);
    if (text === null) {
      fail(`"${key}": wildcards (* and ?) are not supported; use |contains, |startswith, |endswith or |re, or escape them as \\* and \\?`);
      continue;
    }
    if (name === 'level' && operation === 'equals' && !LEVELS.includes(text as Level)) {
      fail(`"${key}": a line level is one of ${LEVELS.join(', ')}`);
      continue;
    }
    tests.push(valueTest(operation, text));
    const literal = literalField ? toLiteral(text) : '';
    literalSets.push(literal.length > 0 ? [literal] : null);
  }
  if (!ok) return null;

  const literals = all
    ? bestLiteralSet(literalSets.filter((set): set is string[] => set !== null))
    : literalSets.some((set) => set === null)
      ? null
      : [...new Set(literalSets.flat() as string[])];
  const combine = all
    ? (actual: string | null, captures: Captures) => tests.every((test) => test(actual, captures))
    : (actual: string | null, captures: Captures) => tests.some((test) => test(actual, captures));
  return { literals, test: (view, captures) => combine(resolveField(name, view), captures) };
}

function valueTest(operation: 'equals' | 'contains' | 'startswith' | 'endswith', text: string) {
  switch (operation) {
    case 'equals':
      return (actual: string | null) => actual === text;
    case 'contains':
      return (actual: string | null) => actual !== null && actual.includes(text);
    case 'startswith':
      return (actual: string | null) => actual !== null && actual.startsWith(text);
    case 'endswith':
      return (actual: string | null) => actual !== null && actual.endsWith(text);
  }
}

/** Sigma escapes: `\*`, `\?`, `\\`; other backslashes are literal. Null when an unescaped wildcard remains. */
function unescapeValue(value: string): string | null {
  let text = '';
  for (let i = 0; i < value.length; i++) {
    const c = value[i];
    if (c === '\\' && (value[i + 1] === '*' || value[i + 1] === '?' || value[i + 1] === '\\')) text += value[++i];
    else if (c === '*' || c === '?') return null;
    else text += c;
  }
  return text;
}

/**
 * The longest part of a message value that appears verbatim in the raw line whatever the format: logrus, klog and
 * JSON escape quotes, backslashes and control characters, Go's JSON also `<`, `>` and `&`; non-ASCII may be escaped.
 */
export function longestSafeRun(text: string): string {
  let best = '';
  let run = '';
  for (const c of text) {
    const code = c.charCodeAt(0);
    const safe = code >= 0x20 && code < 0x7f && c !== '"' && c !== '\\' && c !== '<' && c !== '>' && c !== '&';
    if (safe) run += c;
    else run = '';
    if (run.length > best.length) best = run;
  }
  return best;
}
