/** A problem with what the user asked for (missing or unreadable input): shown as is, exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}
