/**
 * Supervision codes: `<kind><id>.<signature>`, at most 32 characters, all from the alphabet WeChat allows in
 * the `scene` of an unlimited mini-program code (letters, digits and !#$&'()*+,/:;=?@-._~).
 * https://developers.weixin.qq.com/miniprogram/dev/OpenApiDoc/qrcode-link/qr-code/getUnlimitedQRCode.html
 * Signing needs the server's secret and happens in functions/; this module only parses.
 */
export const CODE_MAX = 32;
const CODE_PATTERN = /^([we])([0-9A-Za-z]{6,12})\.([0-9A-Za-z_-]{10,16})$/;
export type CodeKind = 'window' | 'enterprise';

export interface ParsedCode {
  kind: CodeKind;
  codeId: string;
  signature: string;
}

export function parseCode(code: string): ParsedCode | null {
  if (code.length > CODE_MAX) return null;
  const m = CODE_PATTERN.exec(code);
  if (!m) return null;
  return { kind: m[1] === 'w' ? 'window' : 'enterprise', codeId: m[1] + m[2], signature: m[3] };
}

/** The https link an ordinary-link QR code carries; WeChat opens the mini-program with it in `q`. */
export const CODE_LINK_PREFIX = 'https://mashang.haibei.gov.cn/c/';

/**
 * Extract a code from what a scan yields: a bare code (`scene`), or a URL-encoded link in `q`
 * (https://developers.weixin.qq.com/miniprogram/introduction/qrcode.html).
 */
export function codeFromScan(raw: string | undefined | null): string | null {
  if (!raw) return null;
  let s = raw.trim();
  try {
    s = decodeURIComponent(s);
  } catch {
    return null;
  }
  const m = /\/c\/([^/?#]+)/.exec(s);
  if (m) s = m[1];
  return parseCode(s) ? s : null;
}
