import { maskSecrets } from '../rules/mask-secrets.js';
import type { NameBook } from './name-book.js';
import type { NameCategory, Pseudonyms } from './pseudonyms.js';
import { HOST_TLDS, isPublicDomain, isSystemNamespace, isStoryWord } from './vocabulary.js';

const HEX4 = '[0-9a-f]{1,4}';
const OCTET = '(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)';
const IPV4 = `(?<![\\w.])${OCTET}(?:\\.${OCTET}){3}(?!\\w|\\.\\d)`;
const IPV6 = [
  `::ffff:${OCTET}(?:\\.${OCTET}){3}`,
  `(?:${HEX4}:){7}${HEX4}`,
  `(?:${HEX4}:){1,7}:(?:${HEX4}(?::${HEX4}){0,6})?`,
  `::${HEX4}(?::${HEX4}){0,6}`,
]
  .map((form) => `(?<![\\w:.])${form}(?![\\w:])`)
  .join('|');
const MAC = `(?<![\\w:.-])[0-9a-f]{2}(?:(?::[0-9a-f]{2}){5}|(?:-[0-9a-f]{2}){5})(?![\\w:-])`;
const EMAIL = `[a-z0-9._%+-]+@[a-z0-9-]+(?:\\.[a-z0-9-]+)+`;
const HOST = `(?<![\\w.@-])(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\\.)+(?:${HOST_TLDS.join('|')})(?![\\w-]|\\.[a-z0-9])`;
/** `user=alice`, `"username":"alice"`, `owner: alice`, `User "alice"`: the value is a user's name. */
const USER = `(?<userKey>\\b(?:user(?:name)?|login|owner)(?:["']?\\s*[=:]\\s*["']?|\\s+"))(?<user>[^\\s"'&,;{}[\\]]+)`;

/** Everything recognisable by its shape, in the order tried where two start at the same place. */
const PATTERNS = new RegExp(
  `(?<email>${EMAIL})|${USER}|(?<mac>${MAC})|(?<ipv6>${IPV6})|(?<ipv4>${IPV4})|(?<host>${HOST})`,
  'gi',
);
/** Name-like runs: learned names are found in them at segment boundaries (`virt-launcher-<vm>-x7k2p`). */
const RUN = /[A-Za-z0-9_][A-Za-z0-9._-]*/g;
const SEPARATORS = new Set(['-', '.', '_']);

/** Addresses that identify no one: loopback, unspecified, broadcast and netmasks. */
const isNeutralAddress = (ip: string): boolean =>
  ip.startsWith('127.') || ip.startsWith('255.') || ip === '0.0.0.0' || ip === '::' || ip === '::1';

export type TextRedactor = (text: string) => string;

/**
 * Redacts one string: secrets masked, then addresses, e-mails, host and user names by their shape, then every
 * learned name where it stands as a whole word or a whole part of a name (`virt-launcher-web-01-x7k2p`). Words of
 * the story (components, rule ids, system namespaces, versions) are left as they are.
 */
export function createTextRedactor(book: NameBook, pseudonyms: Pseudonyms): TextRedactor {
  const names = new Map<string, NameCategory>(book.entries());
  let maxSegments = 8;
  for (const name of names.keys()) maxSegments = Math.max(maxSegments, name.split(/[-._]/).length);
  const learned = (value: string, fallback: NameCategory): string => pseudonyms.token(names.get(value) ?? fallback, value);

  const shaped = (match: string, groups: Record<string, string | undefined>): string => {
    if (groups.email !== undefined) return pseudonyms.token('email', match.toLowerCase());
    if (groups.user !== undefined) {
      const user = groups.user;
      const keep = user.startsWith('system:') || user.startsWith('***') || isStoryWord(user, book.ruleIds);
      return `${groups.userKey}${keep ? user : learned(user, 'user')}`;
    }
    if (groups.mac !== undefined) return pseudonyms.token('mac', match.toLowerCase().replace(/-/g, ':'));
    if (groups.ipv6 !== undefined || groups.ipv4 !== undefined) {
      return isNeutralAddress(match) ? match : pseudonyms.token('ip', match.toLowerCase());
    }
    if (names.has(match)) return learned(match, 'host');
    return isPublicDomain(match) ? match : pseudonyms.token('host', match.toLowerCase());
  };

  /** The longest learned name or story word starting at `start`, ending at a segment boundary. */
  const nameAt = (run: string, start: number): { end: number; text: string } | null => {
    const ends: number[] = [];
    for (let i = start + 1; i < run.length && ends.length < maxSegments; i++) if (SEPARATORS.has(run[i])) ends.push(i);
    ends.push(run.length);
    for (let k = ends.length - 1; k >= 0; k--) {
      const candidate = run.slice(start, ends[k]);
      const category = names.get(candidate);
      if (category !== undefined) return { end: ends[k], text: pseudonyms.token(category, candidate) };
      if (isStoryWord(candidate, book.ruleIds) || isSystemNamespace(candidate)) return { end: ends[k], text: candidate };
    }
    return null;
  };

  const redactRun = (run: string): string => {
    if (names.size === 0) return run;
    let out = '';
    let copied = 0;
    for (let at = 0; at < run.length; ) {
      const found = nameAt(run, at);
      if (found) {
        out += run.slice(copied, at) + found.text;
        copied = found.end;
        at = found.end;
      }
      while (at < run.length && !SEPARATORS.has(run[at])) at++;
      at++;
    }
    return out + run.slice(copied);
  };

  return (text) => {
    const masked = maskSecrets(text);
    let out = '';
    let last = 0;
    for (const m of masked.matchAll(PATTERNS)) {
      out += masked.slice(last, m.index).replace(RUN, redactRun) + shaped(m[0], m.groups ?? {});
      last = m.index + m[0].length;
    }
    return out + masked.slice(last).replace(RUN, redactRun);
  };
}
