import { createHash } from 'node:crypto';

/**
 * The stand-in's jscode2session maps a js_code to a stable openid (same code, same person), shaped like a real
 * one (28 characters). The demo seed uses the same function to bind roles to the demo officials.
 */
export function standinOpenid(jsCode: string): string {
  return `o${createHash('sha256').update(`mashang-standin:${jsCode}`).digest('base64url').slice(0, 27)}`;
}

/**
 * The person's unionid on the open-platform account that holds both the mini-program and the console's website
 * application: the same for a login code (`demo-operator`) in jscode2session and in the QR login, as WeChat gives
 * one person the same unionid in every application of one account (their openids differ).
 * https://developers.weixin.qq.com/doc/oplatform/Website_App/WeChat_Login/Authorized_Interface_Calling_UnionID.html
 */
export function standinUnionid(person: string): string {
  return `o${createHash('sha256').update(`mashang-standin-union:${person}`).digest('base64url').slice(0, 27)}`;
}

/** The person's openid in the website application (not the mini-program's). */
export function standinWebOpenid(person: string): string {
  return standinOpenid(`web:${person}`);
}
