import { randomBytes } from 'node:crypto';
import { PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';

/**
 * Put a stage's secrets into an SSM Parameter Store (the local stand-in here; AWS is the same call, see README
 * "Secrets"): fresh random values, SecureString, under /mashang-jiandu/<stage>/.
 */
export async function putProdlikeSecrets(
  endpoint: string,
  stage: string,
  given: Record<string, string>,
): Promise<Record<string, string>> {
  const ssm = new SSMClient({
    endpoint,
    region: process.env.AWS_REGION ?? 'cn-northwest-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  const values: Record<string, string> = {
    CODE_SECRET: randomBytes(32).toString('base64url'),
    TOKEN_SECRET: randomBytes(32).toString('base64url'),
    PII_KEYS: `k${new Date().toISOString().slice(0, 10).replaceAll('-', '')}:${randomBytes(32).toString('base64')}`,
    ...given,
  };
  for (const [name, value] of Object.entries(values)) {
    await ssm.send(
      new PutParameterCommand({
        Name: `/mashang-jiandu/${stage}/${name}`,
        Value: value,
        Type: 'SecureString',
        Overwrite: true,
      }),
    );
  }
  return values;
}
