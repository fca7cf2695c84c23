// Where the running gerbang is, and the developer account .ci/run started it with.
export const BASE_URL = process.env.GERBANG_URL ?? 'http://127.0.0.1:8000';
export const ENDPOINT = `${BASE_URL}/graphql`;
export const ADMIN_EMAIL = process.env.GERBANG_ADMIN_EMAIL ?? 'admin@localhost';
export const ADMIN_PASSWORD = process.env.GERBANG_ADMIN_PASSWORD ?? '';

export function check(condition: unknown, message: string): asserts condition {
  if (!condition) {
    throw new Error(`check failed: ${message}`);
  }
  console.log(`ok - ${message}`);
}
