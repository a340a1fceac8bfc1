import { createHash } from 'node:crypto';
import {
  earliestSendTime,
  inQuietHours,
  isOptOutReply,
  parseInviteToken,
  parseQuietHours,
  stringToSign,
} from '@mashang/shared';
import { signRequest } from '../../dev/machine-client';

const china = (iso: string) => new Date(`${iso}+08:00`);

describe('machine API signing (README "Signing the machine API")', () => {
  test('the worked example of the README signs to the signature it shows', () => {
    const body = JSON.stringify({
      services: [
        {
          serviceId: 'QSB-20261130-0001',
          windowId: 'menyuan-scjg-w01',
          matter: '营业执照办理',
          completedAt: '2026-11-30T10:15:00+08:00',
          phone: '13912345678',
        },
      ],
    });
    const key = { keyId: 'ak_7Gq2LmZx9TbN4wRk', secret: 'm3Jx0cV9q2Lr7TnY5bW8sD1fH4kZ6pA0eU3iO9gQ2xE' };
    const s = signRequest(key, 'POST', '/v1/services', body, {
      timestamp: 1796004900,
      nonce: '5f0c2a9e8b7d4c1fa3e6b9d2c8f1a4e7',
    });
    const bodyHash = createHash('sha256').update(body).digest('hex');
    expect(s.stringToSign).toBe(
      stringToSign('POST', '/v1/services', '1796004900', '5f0c2a9e8b7d4c1fa3e6b9d2c8f1a4e7', bodyHash),
    );
    expect(s.stringToSign.split('\n')).toEqual([
      'MSJD1-HMAC-SHA256',
      'POST',
      '/v1/services',
      '1796004900',
      '5f0c2a9e8b7d4c1fa3e6b9d2c8f1a4e7',
      bodyHash,
    ]);
    expect(bodyHash).toBe('c53bc30fdcd573f60c3e8e12396cb426d9578b31ee116b727bfd06f4060fd54b');
    expect(s.signature).toBe('bd922d95a9783b933e19b4131de39a500959536b2ac27c04bedfde854fe86078');
    expect(s.authorization).toBe(
      'MSJD1-HMAC-SHA256 KeyId=ak_7Gq2LmZx9TbN4wRk, Timestamp=1796004900, Nonce=5f0c2a9e8b7d4c1fa3e6b9d2c8f1a4e7, Signature=bd922d95a9783b933e19b4131de39a500959536b2ac27c04bedfde854fe86078',
    );
  });
});

describe('quiet hours (21:00–08:00 China time)', () => {
  test.each([
    ['2026-11-30T20:59:59', '2026-11-30T20:59:59'],
    ['2026-11-30T21:00:00', '2026-12-01T08:00:00'],
    ['2026-11-30T23:59:00', '2026-12-01T08:00:00'],
    ['2026-12-01T00:00:00', '2026-12-01T08:00:00'],
    ['2026-12-01T07:59:59', '2026-12-01T08:00:00'],
    ['2026-12-01T08:00:00', '2026-12-01T08:00:00'],
  ])('asked at %s China time, it may leave at %s', (at, expected) => {
    expect(earliestSendTime(china(at)).toISOString()).toBe(china(expected).toISOString());
    expect(inQuietHours(china(at))).toBe(at !== expected);
  });

  test('the setting: 21-8 is the default, 22-7 moves them, none has none, anything else is refused', () => {
    expect(parseQuietHours(undefined)).toEqual({ startHour: 21, endHour: 8 });
    expect(parseQuietHours('21-8')).toEqual({ startHour: 21, endHour: 8 });
    const late = parseQuietHours('22-7');
    expect(earliestSendTime(china('2026-11-30T21:30:00'), late).toISOString()).toBe(
      china('2026-11-30T21:30:00').toISOString(),
    );
    expect(earliestSendTime(china('2026-12-01T06:00:00'), late).toISOString()).toBe(
      china('2026-12-01T07:00:00').toISOString(),
    );
    expect(earliestSendTime(china('2026-11-30T23:00:00'), parseQuietHours('none')).toISOString()).toBe(
      china('2026-11-30T23:00:00').toISOString(),
    );
    for (const bad of ['21', '25-8', '21:00-08:00', 'off']) expect(() => parseQuietHours(bad)).toThrow(/HH-HH/);
  });
});

describe('invitation token and replies', () => {
  test('a token is at most 32 characters and must have its exact shape', () => {
    expect(parseInviteToken('iAbCdEfGhIj.0123456789ab')).toEqual({ id: 'iAbCdEfGhIj', signature: '0123456789ab' });
    expect('iAbCdEfGhIj.0123456789ab'.length).toBeLessThanOrEqual(32);
    for (const bad of [
      'iAbCdEfGhI.0123456789ab',
      'xAbCdEfGhIj.0123456789ab',
      'iAbCdEfGhIj.0123456789a',
      'iAbCdEfGhIj0123456789ab',
      '',
    ]) {
      expect(parseInviteToken(bad)).toBeNull();
    }
  });

  test('退订, TD and T are opt-outs; other replies are not', () => {
    for (const yes of ['退订', 'TD', 'td', ' T ', '我要退订']) expect(isOptOutReply(yes)).toBe(true);
    for (const no of ['谢谢', '好的', '满意']) expect(isOptOutReply(no)).toBe(false);
  });
});
