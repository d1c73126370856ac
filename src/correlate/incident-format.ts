/** `1 VM`, `20 VMs`. */
export const counted = (n: number, noun: string, plural = `${noun}s`): string => `${n} ${n === 1 ? noun : plural}`;

/** The first few names and how many more: `a, b, c, +17 more`. */
export function someOf(names: readonly string[], shown = 3): string {
  const head = names.slice(0, shown).join(', ');
  return names.length > shown ? `${head}, +${names.length - shown} more` : head;
}
