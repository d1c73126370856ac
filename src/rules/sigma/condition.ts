/**
 * Sigma detection conditions: selection names, `and`, `or`, `not`, parentheses, `1 of <pattern>`, `all of <pattern>`
 * (a pattern may end in `*`; `them` means every selection not starting with `_`). Precedence: not > and > or.
 */
export type ConditionNode =
  | { type: 'ref'; name: string }
  | { type: 'not'; operand: ConditionNode }
  | { type: 'and' | 'or'; operands: ConditionNode[] };

export class ConditionError extends Error {}

type Token = { kind: 'word'; text: string } | { kind: '(' } | { kind: ')' };

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  const pattern = /\s*(?:(\()|(\))|([A-Za-z0-9_*]+)|(\S))/gy;
  let match: RegExpExecArray | null;
  while (pattern.lastIndex < text.length && (match = pattern.exec(text)) !== null) {
    if (match[1]) tokens.push({ kind: '(' });
    else if (match[2]) tokens.push({ kind: ')' });
    else if (match[3]) tokens.push({ kind: 'word', text: match[3] });
    else if (match[4]) throw new ConditionError(`unexpected character "${match[4]}" in condition`);
    else break; // trailing whitespace
  }
  return tokens;
}

const KEYWORDS = new Set(['and', 'or', 'not', 'of', 'them', 'all', '1']);

/** Parses a condition against the selection names of the rule; unknown names and empty patterns are errors. */
export function parseCondition(text: string, selections: readonly string[]): ConditionNode {
  const tokens = tokenize(text);
  let position = 0;
  const peekWord = (): string | null => {
    const token = tokens[position];
    return token?.kind === 'word' ? token.text : null;
  };
  const expectWord = (word: string): void => {
    if (peekWord() !== word) throw new ConditionError(`expected "${word}" in condition`);
    position++;
  };

  const parseOr = (): ConditionNode => {
    const operands = [parseAnd()];
    while (peekWord() === 'or') {
      position++;
      operands.push(parseAnd());
    }
    return operands.length === 1 ? operands[0] : { type: 'or', operands };
  };
  const parseAnd = (): ConditionNode => {
    const operands = [parseNot()];
    while (peekWord() === 'and') {
      position++;
      operands.push(parseNot());
    }
    return operands.length === 1 ? operands[0] : { type: 'and', operands };
  };
  const parseNot = (): ConditionNode => {
    if (peekWord() === 'not') {
      position++;
      return { type: 'not', operand: parseNot() };
    }
    return parsePrimary();
  };
  const parsePrimary = (): ConditionNode => {
    const token = tokens[position];
    if (token === undefined) throw new ConditionError('condition ends too early');
    if (token.kind === '(') {
      position++;
      const inner = parseOr();
      if (tokens[position]?.kind !== ')') throw new ConditionError('missing ")" in condition');
      position++;
      return inner;
    }
    if (token.kind === ')') throw new ConditionError('unexpected ")" in condition');
    if (token.text === '1' || token.text === 'all') {
      position++;
      expectWord('of');
      const target = peekWord();
      if (target === null) throw new ConditionError(`"${token.text} of" needs a selection pattern or "them"`);
      position++;
      const names = target === 'them' ? selections.filter((name) => !name.startsWith('_')) : matchPattern(target, selections);
      if (names.length === 0) throw new ConditionError(`"${token.text} of ${target}" matches no selection`);
      const operands: ConditionNode[] = names.map((name) => ({ type: 'ref', name }));
      if (operands.length === 1) return operands[0];
      return { type: token.text === '1' ? 'or' : 'and', operands };
    }
    if (KEYWORDS.has(token.text) || token.text.includes('*')) {
      throw new ConditionError(`unexpected "${token.text}" in condition`);
    }
    if (!selections.includes(token.text)) throw new ConditionError(`condition names unknown selection "${token.text}"`);
    position++;
    return { type: 'ref', name: token.text };
  };

  const root = parseOr();
  if (position < tokens.length) {
    const token = tokens[position];
    throw new ConditionError(`unexpected "${token.kind === 'word' ? token.text : token.kind}" in condition`);
  }
  return root;
}

function matchPattern(pattern: string, selections: readonly string[]): string[] {
  if (!pattern.includes('*')) return selections.filter((name) => name === pattern);
  const regex = new RegExp(`^${pattern.replace(/\*/g, '.*')}$`);
  return selections.filter((name) => regex.test(name));
}

/** Compiles a condition into a predicate over the selections' predicates (short-circuit, left to right). */
export function compileCondition<T>(node: ConditionNode, selection: (name: string) => (input: T) => boolean): (input: T) => boolean {
  switch (node.type) {
    case 'ref':
      return selection(node.name);
    case 'not': {
      const operand = compileCondition(node.operand, selection);
      return (input) => !operand(input);
    }
    case 'and': {
      const operands = node.operands.map((operand) => compileCondition(operand, selection));
      return (input) => operands.every((operand) => operand(input));
    }
    case 'or': {
      const operands = node.operands.map((operand) => compileCondition(operand, selection));
      return (input) => operands.some((operand) => operand(input));
    }
  }
}

/** Literals for the prefilter from a condition: `and` needs any one operand's, `or` every operand's, `not` none. */
export function conditionLiterals(
  node: ConditionNode,
  selectionLiterals: (name: string) => string[] | null,
  best: (candidates: string[][]) => string[] | null,
): string[] | null {
  switch (node.type) {
    case 'ref':
      return selectionLiterals(node.name);
    case 'not':
      return null;
    case 'and': {
      const candidates = node.operands.map((operand) => conditionLiterals(operand, selectionLiterals, best));
      return best(candidates.filter((set): set is string[] => set !== null));
    }
    case 'or': {
      const union = new Set<string>();
      for (const operand of node.operands) {
        const set = conditionLiterals(operand, selectionLiterals, best);
        if (set === null) return null;
        for (const literal of set) union.add(literal);
      }
      return [...union];
    }
  }
}
