/**
 * Literals a regular expression provably requires, for the prefilter: a set of strings one of which every matching
 * text contains, or null when none can be proven. Conservative: anything not understood breaks a literal run.
 */
export function requiredLiterals(source: string): string[] | null {
  const branches = splitTopLevel(source);
  if (branches === null) return null;
  const sets: string[][] = [];
  for (const branch of branches) {
    const set = sequenceLiterals(branch);
    if (set === null) return null;
    sets.push(set);
  }
  return [...new Set(sets.flat())];
}

/** The set whose shortest literal is longest: the one the prefilter can use best. */
export function bestLiteralSet(candidates: readonly (readonly string[])[]): string[] | null {
  let best: readonly string[] | null = null;
  let bestScore = 0;
  for (const set of candidates) {
    if (set.length === 0) continue;
    const score = Math.min(...set.map((literal) => literal.length));
    if (score > bestScore) {
      best = set;
      bestScore = score;
    }
  }
  return best === null ? null : [...best];
}

/** Splits on `|` outside groups and classes; null when the brackets do not balance. */
function splitTopLevel(source: string): string[] | null {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (c === '\\') i++;
    else if (c === '[') {
      const close = classEnd(source, i);
      if (close < 0) return null;
      i = close;
    } else if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === '|' && depth === 0) {
      parts.push(source.slice(start, i));
      start = i + 1;
    }
    if (depth < 0) return null;
  }
  if (depth !== 0) return null;
  parts.push(source.slice(start));
  return parts;
}

/** Index of the `]` closing the class opened at `open`, or -1. */
function classEnd(source: string, open: number): number {
  for (let i = open + 1; i < source.length; i++) {
    if (source[i] === '\\') i++;
    else if (source[i] === ']') return i;
  }
  return -1;
}

/** Index of the `)` closing the group opened at `open`, or -1. */
function groupEnd(source: string, open: number): number {
  let depth = 0;
  for (let i = open; i < source.length; i++) {
    const c = source[i];
    if (c === '\\') i++;
    else if (c === '[') {
      i = classEnd(source, i);
      if (i < 0) return -1;
    } else if (c === '(') depth++;
    else if (c === ')' && --depth === 0) return i;
  }
  return -1;
}

/** Length of a quantifier at `at` and whether it allows zero repetitions; null when there is none. */
function quantifierAt(source: string, at: number): { length: number; optional: boolean } | null {
  const c = source[at];
  let length = 0;
  let optional = false;
  if (c === '*' || c === '?') [length, optional] = [1, true];
  else if (c === '+') length = 1;
  else if (c === '{') {
    const braces = /^\{(\d+)(,\d*)?\}/.exec(source.slice(at));
    if (!braces) return null; // a lone `{` is a literal outside unicode mode
    [length, optional] = [braces[0].length, Number(braces[1]) === 0];
  } else return null;
  if (source[at + length] === '?') length++; // lazy
  return { length, optional };
}

/** Escapes whose letter is followed by arguments that are not literal text. */
function escapeLength(source: string, at: number): number {
  const letter = source[at + 1];
  const through = (close: string): number => {
    const index = source.indexOf(close, at);
    return index < 0 ? 2 : index - at + 1;
  };
  if (letter === 'x') return 4;
  if (letter === 'c') return 3;
  if (letter === 'u') return source[at + 2] === '{' ? through('}') : 6;
  if ((letter === 'p' || letter === 'P') && source[at + 2] === '{') return through('}');
  if (letter === 'k' && source[at + 2] === '<') return through('>');
  return 2;
}

/** Most alternatives a literal run may branch into through groups of literal alternatives (`a(b|c)d`). */
const MAX_RUN_ALTERNATIVES = 16;

/**
 * Candidate literal sets of one alternative (no top-level `|`), best first; null when it has none. A group whose
 * alternatives are plain text continues the literal run around it, branched: `x (count|state) on` requires one of
 * `x count on`, `x state on`, far rarer in logs than any part alone.
 */
function sequenceLiterals(source: string): string[] | null {
  const candidates: string[][] = [];
  /** The literal text since the last break, one entry per branch of the groups it went through. */
  let runs = [''];
  const breakRun = (): void => {
    if (runs.every((run) => run.length > 0)) candidates.push(runs);
    runs = [''];
  };

  for (let i = 0; i < source.length; ) {
    const c = source[i];
    let atomEnd: number;
    let literal: string | null = null;
    let groupSet: string[] | null = null;
    let groupTexts: string[] | null = null;

    if (c === '\\') {
      atomEnd = i + escapeLength(source, i);
      literal = escapedLiteral(source, i);
    } else if (c === '[') {
      const close = classEnd(source, i);
      if (close < 0) return null;
      atomEnd = close + 1;
    } else if (c === '(') {
      const close = groupEnd(source, i);
      if (close < 0) return null;
      atomEnd = close + 1;
      const inner = source.slice(i + 1, close);
      const head = /^\?(?::|<[A-Za-z_$][\w$]*>)/.exec(inner);
      const body = !inner.startsWith('?') ? inner : head ? inner.slice(head[0].length) : null;
      // lookarounds and anything else starting with `(?` consume nothing provable
      if (body !== null) {
        groupSet = requiredLiterals(body);
        groupTexts = plainAlternatives(body);
      }
    } else if (c === '.' || c === '^' || c === '$' || c === '|' || c === ')') {
      atomEnd = i + 1;
    } else {
      atomEnd = i + 1;
      literal = c;
    }

    const quantifier = quantifierAt(source, atomEnd);
    const next = atomEnd + (quantifier?.length ?? 0);
    if (literal !== null && quantifier === null) {
      runs = runs.map((run) => run + literal);
    } else if (literal !== null && !quantifier!.optional) {
      runs = runs.map((run) => run + literal); // at least once: the char is there, what follows may be more of it
      breakRun();
    } else if (groupTexts !== null && quantifier === null && runs.length * groupTexts.length <= MAX_RUN_ALTERNATIVES) {
      runs = runs.flatMap((run) => groupTexts.map((text) => run + text));
    } else {
      breakRun();
      if (groupSet !== null && !quantifier?.optional) candidates.push(groupSet);
    }
    i = next;
  }
  breakRun();
  return bestLiteralSet(candidates);
}

/** The character an escape at `at` stands for when it is literal text (`\.`, `\/`), else null (`\d`, `\x41`...). */
function escapedLiteral(source: string, at: number): string | null {
  const escaped = source[at + 1] ?? '';
  return escaped !== '' && !/[A-Za-z0-9]/.test(escaped) ? escaped : null;
}

/** The texts of a group body whose every alternative is plain text (`count is not 1|state is not running`), else null. */
function plainAlternatives(body: string): string[] | null {
  const alternatives = splitTopLevel(body);
  if (alternatives === null) return null;
  const texts: string[] = [];
  for (const alternative of alternatives) {
    let text = '';
    for (let i = 0; i < alternative.length; ) {
      const c = alternative[i];
      const literal = c === '\\' ? escapedLiteral(alternative, i) : /[.^$|()[\]*+?{}]/.test(c) ? null : c;
      const atomEnd = c === '\\' ? i + escapeLength(alternative, i) : i + 1;
      if (literal === null || quantifierAt(alternative, atomEnd) !== null) return null;
      text += literal;
      i = atomEnd;
    }
    texts.push(text);
  }
  return texts;
}
