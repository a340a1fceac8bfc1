import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { serverlessYml } from '../../scripts/bench/common';

/** `serverless package` without AWS credentials, and the facts the deployment depends on. */
describe('serverless package', () => {
  const out = mkdtempSync(join(tmpdir(), 'sls-package-'));
  let template: any;

  beforeAll(() => {
    const env: NodeJS.ProcessEnv = { ...process.env, SLS_TELEMETRY_DISABLED: '1' };
    for (const k of Object.keys(env)) if (k.startsWith('AWS_')) delete env[k];
    execFileSync(
      process.execPath,
      ['node_modules/serverless/bin/serverless.js', 'package', '--stage', 'prod', '--package', out],
      {
        cwd: join(__dirname, '../..'),
        env,
        stdio: 'pipe',
        timeout: 170000,
      },
    );
    template = JSON.parse(readFileSync(join(out, 'cloudformation-template-update-stack.json'), 'utf8'));
  }, 180000);
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  const resources = () => Object.values<any>(template.Resources);

  test('when packaged, then every function runs on nodejs22.x', () => {
    const fns = resources().filter((r) => r.Type === 'AWS::Lambda::Function');
    expect(fns.length).toBeGreaterThanOrEqual(9);
    expect(fns.every((f) => f.Properties.Runtime === 'nodejs22.x')).toBe(true);
  });

  test('when packaged, then every function of serverless.yml has its own zip, the visit and invitation functions too, and the invitation schedules run every minute', () => {
    const yml = serverlessYml();
    const names = Object.keys(yml.functions);
    for (const n of [
      'registerVisit',
      'rateVisit',
      'visitFrequencyRule',
      'reportServices',
      'staffInvitation',
      'invitationView',
      'sendInvitations',
      'invitationReceipts',
    ])
      expect(names).toContain(n);
    const fns = resources().filter((r) => r.Type === 'AWS::Lambda::Function');
    const byName = new Map(fns.map((f) => [f.Properties.FunctionName, f]));
    for (const n of names) {
      const f = byName.get(`mashang-jiandu-prod-${n}`);
      expect({ n, packaged: !!f }).toEqual({ n, packaged: true });
      expect(existsSync(join(out, basename(f.Properties.Code.S3Key)))).toBe(true);
    }
    const rules = resources().filter((r) => r.Type === 'AWS::Events::Rule');
    for (const n of ['sendInvitations', 'invitationReceipts'])
      expect(
        rules.some(
          (r) =>
            r.Properties.ScheduleExpression === 'rate(1 minute)' &&
            JSON.stringify(r.Properties.Targets).includes(`${n[0].toUpperCase()}${n.slice(1)}LambdaFunction`),
        ),
      ).toBe(true);
  });

  test('when packaged, then IAM grants only named DynamoDB actions on the table, its indexes and its stream', () => {
    const statements = resources()
      .filter((r) => r.Type === 'AWS::IAM::Role')
      .flatMap((r) => r.Properties.Policies.flatMap((p: any) => p.PolicyDocument.Statement));
    const actions = statements.flatMap((s: any) => [].concat(s.Action)) as string[];
    const dynamo = actions.filter((a) => a.startsWith('dynamodb:'));
    expect(dynamo.length).toBeGreaterThan(0);
    expect(actions).not.toContain('dynamodb:*');
    expect(actions.some((a) => a === '*' || a.endsWith(':*'))).toBe(false);
    expect(dynamo).not.toContain('dynamodb:Scan');
    const dynamoStatements = statements.filter((s: any) =>
      [].concat(s.Action).some((a: string) => a.startsWith('dynamodb:')),
    );
    for (const s of dynamoStatements) expect(JSON.stringify(s.Resource)).toMatch(/Table/);
  });

  test('when packaged, then the table has point-in-time recovery, a stream, TTL and encryption', () => {
    const table = resources().find((r) => r.Type === 'AWS::DynamoDB::Table');
    expect(table.Properties.PointInTimeRecoverySpecification).toEqual({ PointInTimeRecoveryEnabled: true });
    expect(table.Properties.StreamSpecification.StreamViewType).toBe('NEW_AND_OLD_IMAGES');
    expect(table.Properties.TimeToLiveSpecification.Enabled).toBe(true);
    expect(table.Properties.SSESpecification.SSEEnabled).toBe(true);
  });
});
