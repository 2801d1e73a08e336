/** E11000: a unique index refused the write. The exactly-once guarantees in the services rest on it. */
export function isDuplicateKeyError(error: unknown): boolean {
  return typeof error === 'object' && error !== null && 'code' in error && (error).code === 11000;
}
