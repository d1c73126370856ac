import { createHmac } from 'node:crypto';

/** What a sensitive value is; the token's prefix says it so the story still reads (`node-7f3a91c2`, `vm-1c2e04b7`). */
export type NameCategory = 'node' | 'vm' | 'ns' | 'obj' | 'cluster' | 'bundle' | 'host' | 'user' | 'ip' | 'mac' | 'email';

/**
 * The key of runs without `--redact-key`: one run (and one batch) is self-consistent, but anyone can recompute a
 * guessed name's token. A private key makes tokens unguessable and keeps them stable between runs that share it.
 */
const DEFAULT_REDACT_KEY = 'harvester-postmortem';

/** Hex digits of a name token: 32 bits, so thousands of names in one report do not collide in practice. */
const TOKEN_HEX = 8;
/** Finding and incident ids keep their 12 hex digits. */
const ID_HEX = 12;

export interface Pseudonyms {
  /** The token of a value: the same value, category and key give the same token in every report and run. */
  token(category: NameCategory, value: string): string;
  /** A fingerprint id re-keyed (`<head>-<12 hex>` or `<12 hex>`): ids of names must not let anyone confirm a guess. */
  id(value: string): string;
}

export function createPseudonyms(key: string | null): Pseudonyms {
  const secret = key ?? DEFAULT_REDACT_KEY;
  const digest = (value: string): string => createHmac('sha256', secret).update(value).digest('hex');
  const tokens = new Map<string, string>();
  return {
    token(category, value) {
      const cacheKey = `${category}\0${value}`;
      let token = tokens.get(cacheKey);
      if (token === undefined) {
        token = `${category}-${digest(value).slice(0, TOKEN_HEX)}`;
        tokens.set(cacheKey, token);
      }
      return token;
    },
    id(value) {
      const match = /^(.*?)([0-9a-f]{12})$/.exec(value);
      return match ? `${match[1]}${digest(`id\0${match[2]}`).slice(0, ID_HEX)}` : value;
    },
  };
}
