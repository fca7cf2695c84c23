// Where the running gerbang is, and the developer account .ci/run started it with.
export const BASE_URL = process.env.GERBANG_URL ?? 'http://127.0.0.1:8000';
export const ENDPOINT = `${BASE_URL}/graphql`;
export const ADMIN_EMAIL = process.env.GERBANG_ADMIN_EMAIL ?? 'admin@localhost';
export const ADMIN_PASSWORD = process.env.GERBANG_ADMIN_PASSWORD ?? '';
// The SPA gerbang's mail links point at (its GERBANG_APP_URL), and the directory the SMTP
// sink (tests/api/fixtures/smtp_sink.py) writes each mail it receives into, as JSON.
export const APP_URL = process.env.GERBANG_APP_URL ?? 'http://localhost:5173';
export const MAIL_DIR = process.env.GERBANG_MAIL_DIR;

export function check(condition: unknown, message: string): asserts condition {
  if (!condition) {
    throw new Error(`check failed: ${message}`);
  }
  console.log(`ok - ${message}`);
}
