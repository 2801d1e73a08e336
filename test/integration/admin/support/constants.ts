// Fixed values of the admin page tests, apart from the vitest-bound helpers so that scripts can use
// the seed data too.
export const ADMIN_TOKEN = 'admin-token-for-tests-0123456789';
export const ADMIN_SLACK_ID = 'UADMIN001';
export const USD = 1_000_000;
/** The actor the tests seed and check data as. */
export const ROOT = { kind: 'admin', id: 'test-root' } as const;
