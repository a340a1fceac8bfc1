export default async function globalTeardown(): Promise<void> {
  const g = (globalThis as any).__MASHANG__;
  g?.standin?.close();
  g?.ddb?.kill('SIGTERM');
  await g?.s3?.close();
}
