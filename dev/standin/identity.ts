import { createHash } from 'node:crypto';

/**
 * The stand-in's jscode2session maps a js_code to a stable openid (same code, same person), shaped like a real
 * one (28 characters). The demo seed uses the same function to bind roles to the demo officials.
 */
export function standinOpenid(jsCode: string): string {
  return `o${createHash('sha256').update(`mashang-standin:${jsCode}`).digest('base64url').slice(0, 27)}`;
}
