/** The zod schemas of binary values carried as text in every message: base64 and hex, once. */
import { z } from 'zod';

/** Standard base64 (RFC 4648 §4, padded), at most `maxChars` characters. */
export function base64Schema(maxChars: number): z.ZodString {
  return z
    .string()
    .max(maxChars)
    .regex(/^[A-Za-z0-9+/]*={0,2}$/, 'must be base64');
}

/** Hex digits (either case), `minChars` to `maxChars` of them. */
export function hexSchema(maxChars: number, minChars = 0, message = 'must be hex'): z.ZodString {
  return z
    .string()
    .min(minChars)
    .max(maxChars)
    .regex(/^[0-9a-fA-F]*$/, message);
}

/** Bytes a base64 string decodes to. */
export function base64ByteLength(text: string): number {
  const padding = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
  return Math.floor((text.length * 3) / 4) - padding;
}
