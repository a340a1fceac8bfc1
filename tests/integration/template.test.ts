import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { serverlessYml } from '../../scripts/bench/common';
import { KNOWN_DEVELOPMENT_VALUES, SECRET_NAMES } from '../../functions/src/config';

/** `serverless package` without AWS credentials, and the facts the deployment depends on. */
describe('serverless package', () => {
  const out = mkdtempSync(join(tmpdir(), 'sls-package-'));
  let template: any;

  beforeAll(() => {
    // No environment at all beyond the basics: what a deploy from a clean machine would see.
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      SLS_TELEMETRY_DISABLED: '1',
      ESBUILD_WORK_FOLDER: '.esbuild/template-test',
    };
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
    const lambdas = resources().filter((r) => r.Type === 'AWS::Lambda::Function');
    const byName = new Map(lambdas.map((f) => [f.Properties.FunctionName, f]));
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

  const fns = () => Object.entries<any>(template.Resources).filter(([, r]) => r.Type === 'AWS::Lambda::Function');
  const roleOf = (fn: any) => template.Resources[fn.Properties.Role['Fn::GetAtt'][0]];
  const statementsOf = (role: any) => role.Properties.Policies.flatMap((p: any) => p.PolicyDocument.Statement);
  const actionsOf = (role: any) => statementsOf(role).flatMap((s: any) => [].concat(s.Action)) as string[];

  test('when packaged for prod with no environment, then the template holds no secret, only the parameter path', () => {
    const text = JSON.stringify(template);
    for (const v of KNOWN_DEVELOPMENT_VALUES) expect(text).not.toContain(v);
    for (const name of SECRET_NAMES) {
      for (const [, f] of fns()) expect(Object.keys(f.Properties.Environment.Variables)).not.toContain(name);
    }
    expect(text).not.toMatch(/PII_KEY|TOKEN_SECRET"|CODE_SECRET"/);
    const [, anyFn] = fns()[0];
    expect(anyFn.Properties.Environment.Variables).toMatchObject({
      STAGE: 'prod',
      SECRETS_PATH: '/mashang-jiandu/prod',
    });
  });

  test('when packaged, then every function has a role of its own with only what it does', () => {
    const roles = fns().map(([, f]) => f.Properties.Role['Fn::GetAtt'][0]);
    expect(new Set(roles).size).toBe(roles.length);
    // every function names its statements (one without would share the provider's default role)
    const withoutStatements = Object.entries<any>(serverlessYml().functions)
      .filter(([, f]) => !f.iamRoleStatements?.length)
      .map(([n]) => n);
    expect(withoutStatements).toEqual([]);
    expect(roles.length).toBe(Object.keys(serverlessYml().functions).length);
    const byName = Object.fromEntries(fns().map(([k, f]) => [k.replace(/LambdaFunction$/, ''), roleOf(f)]));
    // read-only routes cannot write; only the stream consumer reads the stream and writes to the on-failure queue
    expect(actionsOf(byName.GetCase)).not.toContain('dynamodb:PutItem');
    expect(actionsOf(byName.GetCase)).not.toContain('dynamodb:UpdateItem');
    expect(actionsOf(byName.CaseAction)).toContain('dynamodb:PutItem');
    for (const [name, role] of Object.entries(byName)) {
      const a = actionsOf(role);
      // the stream consumers: alerts (with its on-failure queue), the day counters, the import, poster and export workers
      expect(a.includes('dynamodb:GetRecords')).toBe(
        ['AlertsFromStream', 'CountersFromStream', 'ImportWorker', 'PosterWorker', 'ExportWorker'].includes(name),
      );
      expect(a.includes('sqs:SendMessage')).toBe(name === 'AlertsFromStream');
      // every function reads its own stage's secrets, and nothing else of SSM
      const ssm = statementsOf(role).filter((s: any) => [].concat(s.Action).some((x: string) => x.startsWith('ssm:')));
      expect(ssm).toHaveLength(1);
      expect(JSON.stringify(ssm[0].Resource)).toContain(':parameter/mashang-jiandu/prod/*');
    }
  });

  test('when packaged, then the stream starts at TRIM_HORIZON with a maximum record age and an SQS on-failure destination', () => {
    const mappings = resources()
      .filter((r) => r.Type === 'AWS::Lambda::EventSourceMapping')
      .map((r) => r.Properties);
    expect(mappings.length).toBeGreaterThanOrEqual(4);
    // no consumer starts at LATEST: records written while a mapping is created or disabled are not skipped
    for (const m of mappings) expect(m.StartingPosition).toBe('TRIM_HORIZON');
    const esm = mappings.find((m) => JSON.stringify(m.FunctionName).includes('AlertsFromStream'));
    expect(esm.StartingPosition).toBe('TRIM_HORIZON');
    expect(esm.MaximumRecordAgeInSeconds).toBeGreaterThan(0);
    expect(esm.DestinationConfig.OnFailure.Destination).toEqual({ 'Fn::GetAtt': ['AlertsOnFailureQueue', 'Arn'] });
    expect(template.Resources.AlertsOnFailureQueue.Type).toBe('AWS::SQS::Queue');
  });

  test('when packaged, then alarms on the on-failure queue, failed alerts, iterator age and function errors notify one SNS topic', () => {
    const alarms = resources()
      .filter((r) => r.Type === 'AWS::CloudWatch::Alarm')
      .map((r) => r.Properties);
    const metric = (ns: string, name: string) => alarms.find((a) => a.Namespace === ns && a.MetricName === name);
    expect(metric('AWS/SQS', 'ApproximateNumberOfMessagesVisible')?.Dimensions[0].Value).toEqual({
      'Fn::GetAtt': ['AlertsOnFailureQueue', 'QueueName'],
    });
    expect(metric('MashangJiandu', 'AlertsFailed')).toBeDefined();
    expect(metric('AWS/Lambda', 'IteratorAge')).toBeDefined();
    expect(metric('AWS/Lambda', 'Errors')).toBeDefined();
    for (const a of alarms) expect(a.AlarmActions).toEqual([{ Ref: 'AlarmTopic' }]);
    expect(template.Resources.AlarmTopic.Type).toBe('AWS::SNS::Topic');
    // the subscription is a deploy parameter (alarmEmail), created only when given
    expect(template.Resources.AlarmEmailSubscription.Condition).toBe('HasAlarmEmail');
  });

  test('when packaged, then the retention job runs daily with the configured number of days', () => {
    const fn = template.Resources.EraseExpiredContactsLambdaFunction;
    expect(fn.Properties.Environment.Variables.RETENTION_DAYS).toBe('180');
    const rule = resources().find(
      (r) => r.Type === 'AWS::Events::Rule' && JSON.stringify(r.Properties.Targets).includes('EraseExpiredContacts'),
    );
    expect(rule.Properties.ScheduleExpression).toBe('rate(1 day)');
  });

  test('when packaged, then the table is protected from deletion and CORS allows only the configured origins', () => {
    const [, table] = Object.entries<any>(template.Resources).find(([, r]) => r.Type === 'AWS::DynamoDB::Table')!;
    expect(table.DeletionPolicy).toBe('Retain');
    expect(table.UpdateReplacePolicy).toBe('Retain');
    expect(table.Properties.DeletionProtectionEnabled).toBe(true);
    const api = resources().find((r) => r.Type === 'AWS::ApiGatewayV2::Api').Properties;
    expect(api.CorsConfiguration.AllowOrigins).toEqual(['http://127.0.0.1:10088', 'http://127.0.0.1:10086']);
    expect(JSON.stringify(api.CorsConfiguration)).not.toContain('"*"');
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

  test('when packaged, then the console is a private bucket that only its CloudFront distribution reads, over HTTPS, with index.html and config.js never cached', () => {
    const entries = Object.entries<any>(template.Resources);
    const [bucketId, bucket] = entries.find(
      ([, r]) => r.Type === 'AWS::S3::Bucket' && r.Properties.BucketName === 'mashang-prod-console',
    )!;
    expect(bucket.Properties.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    });
    expect(bucket.Properties.BucketEncryption.ServerSideEncryptionConfiguration[0]).toBeDefined();
    const [distId, dist] = entries.find(([, r]) => r.Type === 'AWS::CloudFront::Distribution')!;
    const cfg = dist.Properties.DistributionConfig;
    expect(cfg.DefaultRootObject).toBe('index.html');
    const [origin] = cfg.Origins;
    expect(origin.DomainName).toEqual({ 'Fn::GetAtt': [bucketId, 'RegionalDomainName'] });
    const [oacId, oac] = entries.find(([, r]) => r.Type === 'AWS::CloudFront::OriginAccessControl')!;
    expect(origin.OriginAccessControlId).toEqual({ 'Fn::GetAtt': [oacId, 'Id'] });
    expect(oac.Properties.OriginAccessControlConfig).toMatchObject({
      SigningBehavior: 'always',
      SigningProtocol: 'sigv4',
    });
    for (const b of [cfg.DefaultCacheBehavior, ...cfg.CacheBehaviors]) {
      expect(b.ViewerProtocolPolicy).toBe('redirect-to-https');
      expect(b.AllowedMethods).toEqual(['GET', 'HEAD']);
    }
    for (const path of ['/index.html', '/config.js']) {
      const b = cfg.CacheBehaviors.find((x: any) => x.PathPattern === path);
      expect([b.DefaultTTL, b.MaxTTL]).toEqual([0, 0]);
    }
    // The only reader: the CloudFront service, and only for this distribution.
    const policies = entries.filter(([, r]) => r.Type === 'AWS::S3::BucketPolicy').map(([, r]) => r.Properties);
    const policy = policies.find((p) => p.Bucket.Ref === bucketId)!;
    const [statement] = policy.PolicyDocument.Statement;
    expect(policy.PolicyDocument.Statement).toHaveLength(1);
    expect(statement).toMatchObject({
      Effect: 'Allow',
      Principal: { Service: 'cloudfront.amazonaws.com' },
      Action: 's3:GetObject',
    });
    expect(JSON.stringify(statement.Condition.StringEquals['AWS:SourceArn'])).toContain(`"Ref":"${distId}"`);
    // Without a domain of its own the default certificate; with one (China regions) its IAM certificate.
    expect(JSON.stringify(cfg.ViewerCertificate)).toContain('CloudFrontDefaultCertificate');
    expect(template.Conditions.HasConsoleDomain).toBeDefined();
    expect(Object.keys(template.Outputs)).toEqual(
      expect.arrayContaining(['ConsoleBucketName', 'ConsoleUrl', 'ConsoleDistributionId']),
    );
  });

  test('when packaged, then the table has point-in-time recovery, a stream, TTL and encryption', () => {
    const table = resources().find((r) => r.Type === 'AWS::DynamoDB::Table');
    expect(table.Properties.PointInTimeRecoverySpecification).toEqual({ PointInTimeRecoveryEnabled: true });
    expect(table.Properties.StreamSpecification.StreamViewType).toBe('NEW_AND_OLD_IMAGES');
    expect(table.Properties.TimeToLiveSpecification.Enabled).toBe(true);
    expect(table.Properties.SSESpecification.SSEEnabled).toBe(true);
  });
});
