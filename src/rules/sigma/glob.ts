/**
 * A member-path glob as a RegExp: `**` any run of path segments, `*` and `?` within one segment, `[...]` a class,
 * `{a,b}` alternatives. A pattern without `/` is matched against the base name (like .gitignore).
 */
export function globToRegExp(glob: string): RegExp {
  let source = '';
  let braceDepth = 0;
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*' && glob[i + 1] === '*') {
      const slashAfter = glob[i + 2] === '/';
      source += slashAfter ? '(?:.*/)?' : '.*';
      i += slashAfter ? 2 : 1;
    } else if (c === '*') source += '[^/]*';
    else if (c === '?') source += '[^/]';
    else if (c === '[') {
      const close = glob.indexOf(']', i + 2);
      if (close < 0) source += '\\[';
      else {
        const body = glob.slice(i + 1, close).replace(/^!/, '^').replace(/\\/g, '\\\\');
        source += `[${body}]`;
        i = close;
      }
    } else if (c === '{') {
      braceDepth++;
      source += '(?:';
    } else if (c === '}' && braceDepth > 0) {
      braceDepth--;
      source += ')';
    } else if (c === ',' && braceDepth > 0) source += '|';
    else if (c === '\\' && i + 1 < glob.length) source += escapeRegExp(glob[++i]);
    else source += escapeRegExp(c);
  }
  const anchored = glob.includes('/') ? `^${source}$` : `(?:^|/)${source}$`;
  return new RegExp(anchored);
}

export const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
