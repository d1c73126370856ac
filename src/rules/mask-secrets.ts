/**
 * Masks credentials in text that is about to leave the engine (evidence lines, rendered messages).
 * Reports are pasted into tickets; a bundle's logs can carry tokens, passwords and kubeconfig blobs.
 */

const MASK = '***';

/** A PEM private key, whole or cut at the end of the text (a single log line rarely holds the END marker). */
const PEM_PRIVATE_KEY = /-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z0-9 ]*PRIVATE KEY-----|$)/g;
const BEARER = /\b([Bb]earer|BEARER)(\s+)[A-Za-z0-9\-._~+/]+=*/g;
/**
 * `password=x`, `"secret":"x"`, `agent-token=x`, `token: x`, ... — the key and separator are kept. A bare `key: value`
 * is often prose (`failed to get token: context deadline exceeded`), so it is masked only when the value looks random.
 */
const SECRET_KEY =
  '(?:passw(?:or)?d|pwd|(?:agent[-_]?|access[-_]?|refresh[-_]?|bootstrap[-_]?)?token|(?:client[-_]?)?secret|' +
  'api[-_]?key|access[-_]?key|secret[-_]?key)';
const KEY_VALUE = new RegExp(`\\b(${SECRET_KEY})(["']?\\s*[=:]\\s*["']?)(?!\\*\\*\\*)([^\\s"'&,;}\\]]+)`, 'gi');
const URL_USERINFO = /(\/\/[^\s:/@]+:)[^\s@/]+@/g;
/** Long base64 runs: kubeconfig `*-data` fields, certificates, encoded secrets. Hashes (64 hex) stay. */
const LONG_BASE64 = /[A-Za-z0-9+/]{100,}={0,2}/g;

export function maskSecrets(text: string): string {
  return text
    .replace(PEM_PRIVATE_KEY, MASK)
    .replace(BEARER, `$1$2${MASK}`)
    .replace(KEY_VALUE, (whole, key: string, separator: string, value: string) =>
      separator.includes('=') || separator.startsWith('"') || separator.startsWith("'") || looksRandom(value)
        ? `${key}${separator}${MASK}`
        : whole,
    )
    .replace(URL_USERINFO, `$1${MASK}@`)
    .replace(LONG_BASE64, MASK);
}

const looksRandom = (value: string): boolean => value.length >= 16 || /\d/.test(value);
