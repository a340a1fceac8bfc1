/** Enterprise contacts and one-time binding codes (SPEC §2.5); zod-free, for the mini-program's main package. */

/** A binding code: 6 digits, valid 7 days, single use. */
export const BINDING_CODE_PATTERN = /^\d{6}$/;
export const BINDING_CODE_TTL_DAYS = 7;

export interface BindEnterpriseResponse {
  enterprise: { id: string; name: string; county: { id: string; name: string } };
  /** A fresh session token that carries the new `enterprise` grant. */
  token: string;
  user: { id: string; roles: { role: string; scope: string }[] };
}

export interface IssuedBindingCode {
  enterpriseId: string;
  enterpriseName: string;
  /** The code in clear, only when the operator asked to see it (delivery `show`). */
  code?: string;
  /** The masked registry phone the code was sent to (delivery `sms`). */
  sentTo?: string;
  validUntil: string;
}

export interface EnterpriseContactView {
  userId: string;
  name?: string;
  phone?: string;
  boundAt: string;
}

/** The enterprise id a bound contact's grant scope ends with (haibei/<region>/<enterpriseId>). */
export function enterpriseIdOfScope(scope: string): string {
  return scope.split('/').pop() ?? '';
}
