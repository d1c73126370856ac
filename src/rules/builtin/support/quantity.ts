const BINARY: Record<string, number> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60 };
const DECIMAL: Record<string, number> = { k: 1e3, K: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18, m: 1e-3 };

/** A Kubernetes memory quantity (`2500Mi`, `1843928Ki`, `2.62144e+09`, `3G`) in bytes; null when unreadable. */
export const parseQuantity = (value: unknown): number | null => {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value !== 'string') return null;
  const m = /^([0-9]+(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?)(Ki|Mi|Gi|Ti|Pi|Ei|[kKMGTPEm])?$/.exec(value.trim());
  if (!m) return null;
  const n = Number(m[1]);
  const unit = m[2];
  if (!unit) return n;
  return n * (BINARY[unit] ?? DECIMAL[unit] ?? 1);
};

/** Bytes as the closest binary unit, for messages: `2.4 GiB`, `512 MiB`. */
export const formatBytes = (bytes: number): string => {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = bytes;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${Number.isInteger(v) ? v : v.toFixed(1)} ${units[i]}`;
};
