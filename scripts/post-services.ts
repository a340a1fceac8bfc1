/**
 * `npm run post-services [-- --count N --department menyuan-scjg]`: what a service hall's system does, against the
 * local system. As demo-operator it creates an API key for the department (POST /v1/api-keys, the secret shown
 * once), then posts a signed batch of completed services (POST /v1/services) and prints the answer. The
 * invitations' SMS arrive at the stand-in (GET /__dev/sms/messages) unless it is 21:00–08:00 China time.
 */
import { signRequest } from '../dev/machine-client';
import { DEFAULT_PORTS } from '../dev/local-env';

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
};

async function main() {
  const api = process.env.API ?? `http://127.0.0.1:${DEFAULT_PORTS.api}`;
  const department = arg('department', 'menyuan-scjg');
  const count = Number(arg('count', '3'));
  const json = async (r: Response) => ({ status: r.status, body: (await r.json()) as any });

  const login = await json(
    await fetch(`${api}/v1/auth/wechat`, { method: 'POST', body: JSON.stringify({ code: 'demo-operator' }) }),
  );
  const op = login.body.token as string;
  const [county] = department.split('-');
  const windows = await json(
    await fetch(`${api}/v1/windows?departmentId=${department}&county=${county}&limit=5`, {
      headers: { authorization: `Bearer ${op}` },
    }),
  );
  if (!windows.body.items?.length) throw new Error(`no windows for ${department}: ${JSON.stringify(windows.body)}`);
  const key = await json(
    await fetch(`${api}/v1/api-keys`, {
      method: 'POST',
      headers: { authorization: `Bearer ${op}` },
      body: JSON.stringify({ requestId: `post-services-${Date.now()}`, departmentId: department, name: '本地演示' }),
    }),
  );
  if (key.status !== 201) throw new Error(JSON.stringify(key.body));
  console.log(`API key ${key.body.keyId} for ${department} (secret shown once: ${key.body.secret})`);

  const matters = ['营业执照办理', '食品经营许可', '社保卡补办', '不动产登记', '医保报销'];
  const services = Array.from({ length: count }, (_, i) => ({
    serviceId: `LOCAL-${Date.now()}-${i + 1}`,
    windowId: windows.body.items[i % windows.body.items.length].id,
    matter: matters[i % matters.length],
    completedAt: new Date(Date.now() - 10 * 60000).toISOString(),
    phone: `139${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`,
  }));
  const body = JSON.stringify({ services });
  const signed = signRequest({ keyId: key.body.keyId, secret: key.body.secret }, 'POST', '/v1/services', body);
  console.log(`\nString to sign:\n${signed.stringToSign}\n\nAuthorization: ${signed.authorization}\n`);
  const res = await json(
    await fetch(`${api}/v1/services`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: signed.authorization },
      body,
    }),
  );
  console.log(`POST /v1/services → ${res.status}`);
  console.log(JSON.stringify(res.body, null, 2));
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
