// The codes an authenticator app shows: TOTP as RFC 6238 defines it (HMAC-SHA-1, 6 digits,
// 30 s steps from the Unix epoch), which is HOTP (RFC 4226) of the time step, with the
// base32 secret (RFC 4648, §6) the otpauth URI carries. Enough for the e2e to play the app.
import { createHmac } from 'node:crypto';

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** The bytes of a base32 secret (case, spaces and `=` padding ignored). */
export function base32Decode(text: string): Buffer {
  const bytes: number[] = [];
  let bits = 0;
  let value = 0;
  for (const char of text.toUpperCase().replace(/[\s=]/g, '')) {
    const index = BASE32.indexOf(char);
    if (index < 0) throw new Error(`not base32: ${JSON.stringify(char)}`);
    value = (value << 5) | index;
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      bytes.push((value >>> bits) & 0xff);
    }
  }
  return Buffer.from(bytes);
}

/** RFC 4226 HOTP: HMAC-SHA-1 of the 8-byte big-endian counter, dynamically truncated (§5.3). */
export function hotp(key: Buffer, counter: number, digits = 6): string {
  const message = Buffer.alloc(8);
  message.writeBigUInt64BE(BigInt(counter));
  const mac = createHmac('sha1', key).update(message).digest();
  const offset = mac[mac.length - 1]! & 0x0f;
  const binary = mac.readUInt32BE(offset) & 0x7fffffff;
  return (binary % 10 ** digits).toString().padStart(digits, '0');
}

/** RFC 6238's T: the number of 30 s steps since the Unix epoch at `unixSeconds`. */
export function timeStep(unixSeconds: number = Date.now() / 1000): number {
  return Math.floor(unixSeconds / 30);
}

/** The 6-digit code of time step `step` for a base32 secret. */
export function totp(secretBase32: string, step: number = timeStep()): string {
  return hotp(base32Decode(secretBase32), step);
}
