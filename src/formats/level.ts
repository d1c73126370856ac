import type { Level } from './types.js';

/** klog's severity letter (`I`, `W`, `E`, `F` as char code) → level. */
export function levelFromKlogLetter(code: number): Level | null {
  switch (code) {
    case 73:
      return 'info';
    case 87:
      return 'warning';
    case 69:
      return 'error';
    case 70:
      return 'fatal';
    default:
      return null;
  }
}

/**
 * A level word of logrus, logfmt (go-kit), zap, KubeVirt JSON or Rancher (`[INFO]`), any case → level.
 * zap's `dpanic` is an error in production builds; logrus `panic` is its most severe level.
 */
export function levelFromWord(word: string): Level | null {
  const level = lowerLevel(word);
  if (level !== null || word.length > 8) return level;
  const lower = word.toLowerCase();
  return lower === word ? null : lowerLevel(lower);
}

function lowerLevel(word: string): Level | null {
  switch (word) {
    case 'info':
    case 'notice':
      return 'info';
    case 'warn':
    case 'warning':
      return 'warning';
    case 'error':
    case 'err':
    case 'dpanic':
      return 'error';
    case 'debug':
      return 'debug';
    case 'trace':
      return 'trace';
    case 'fatal':
    case 'panic':
    case 'crit':
    case 'critical':
    case 'alert':
    case 'emerg':
      return 'fatal';
    default:
      return null;
  }
}
