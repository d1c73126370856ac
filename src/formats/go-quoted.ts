/** Go-quoted strings (`strconv.Quote`) as logrus, logfmt and structured klog write them. */

/** Index of the quote closing the string whose opening quote is at `open`; text.length when unterminated. */
export function closingQuote(text: string, open: number): number {
  let quote = text.indexOf('"', open + 1);
  while (quote >= 0) {
    let backslashes = 0;
    while (text.charCodeAt(quote - 1 - backslashes) === 92) backslashes++;
    if (backslashes % 2 === 0) return quote;
    quote = text.indexOf('"', quote + 1);
  }
  return text.length;
}

/** The value of Go-escaped text in [from, to): `\"`, `\\`, `\n`, `\t`, `\xNN`, `\uNNNN`, ... decoded. */
export function unescapeGo(text: string, from: number, to: number): string {
  let backslash = text.indexOf('\\', from);
  if (backslash < 0 || backslash >= to) return text.slice(from, to);
  let out = '';
  let runStart = from;
  while (backslash >= 0 && backslash < to - 1) {
    out += text.slice(runStart, backslash);
    const escape = text.charCodeAt(backslash + 1);
    let next = backslash + 2;
    switch (escape) {
      case 110:
        out += '\n';
        break;
      case 116:
        out += '\t';
        break;
      case 114:
        out += '\r';
        break;
      case 97:
        out += '\x07';
        break;
      case 98:
        out += '\b';
        break;
      case 102:
        out += '\f';
        break;
      case 118:
        out += '\v';
        break;
      case 120: // \xNN: a byte that was not valid UTF-8
      case 117: // \uNNNN
      case 85: {
        // \UNNNNNNNN
        const width = escape === 120 ? 2 : escape === 117 ? 4 : 8;
        const code = hexAt(text, backslash + 2, width, to);
        if (code >= 0 && code <= 0x10ffff) {
          out += String.fromCodePoint(code);
          next = backslash + 2 + width;
        } else {
          out += text.slice(backslash, next);
        }
        break;
      }
      default:
        // `\"`, `\\`, `\'` and anything unknown: the character itself
        out += text[backslash + 1];
    }
    runStart = next;
    backslash = text.indexOf('\\', next);
  }
  return out + text.slice(runStart, to);
}

function hexAt(text: string, at: number, width: number, limit: number): number {
  if (at + width > limit) return -1;
  let value = 0;
  for (let i = at; i < at + width; i++) {
    const c = text.charCodeAt(i);
    const digit = c >= 48 && c <= 57 ? c - 48 : c >= 97 && c <= 102 ? c - 87 : c >= 65 && c <= 70 ? c - 55 : -1;
    if (digit < 0) return -1;
    value = value * 16 + digit;
  }
  return value;
}
