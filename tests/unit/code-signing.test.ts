import { CODE_MAX } from '@mashang/shared';
import { newCodeId, signCode, verifyCode } from '../../functions/src/domain/code-signing';

describe('supervision code signing', () => {
  const secret = 'unit-test-secret-0123456789';
  test('when a code is signed, then it fits the WeChat scene (≤ 32, allowed characters) and verifies', () => {
    for (let i = 0; i < 200; i++) {
      const id = newCodeId(i % 2 ? 'window' : 'enterprise');
      const code = signCode(secret, id);
      expect(code.length).toBeLessThanOrEqual(CODE_MAX);
      expect(code).toMatch(/^[0-9A-Za-z!#$&'()*+,/:;=?@\-._~]+$/);
      expect(verifyCode(secret, code)?.codeId).toBe(id);
    }
  });
  test('when any character is altered or another secret signed it, then it does not verify', () => {
    const code = signCode(secret, 'wAAAAAAAA');
    for (let i = 0; i < code.length; i++) {
      if (code[i] === '.') continue;
      const altered = code.slice(0, i) + (code[i] === 'B' ? 'C' : 'B') + code.slice(i + 1);
      expect(verifyCode(secret, altered)).toBeNull();
    }
    expect(verifyCode('another-secret-0123456789', code)).toBeNull();
  });
});
