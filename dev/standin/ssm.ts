import type { IncomingHttpHeaders } from 'node:http';
import type { Reply } from './server';

/**
 * A stand-in for SSM Parameter Store, speaking its JSON 1.1 protocol (`X-Amz-Target: AmazonSSM.<Operation>`), so a
 * production-like local system reads its secrets exactly as in AWS: with `AWS_ENDPOINT_URL_SSM` pointing here the
 * SDK (and Powertools Parameters on top of it) needs no other change. Only what the product uses:
 * PutParameter, GetParameter, GetParameters. Values are kept in memory; SecureString is not encrypted here.
 * https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_GetParameters.html
 */
interface Param {
  Name: string;
  Type: 'String' | 'SecureString' | 'StringList';
  Value: string;
  Version: number;
  LastModifiedDate: number;
}

export class SsmStandin {
  readonly params = new Map<string, Param>();

  private view(p: Param) {
    return { ...p, ARN: `arn:aws:ssm:cn-northwest-1:000000000000:parameter${p.Name}`, DataType: 'text' };
  }

  handle(method: string, headers: IncomingHttpHeaders, body: any): Reply | undefined {
    const target = String(headers['x-amz-target'] ?? '');
    if (method !== 'POST' || !target.startsWith('AmazonSSM.')) return undefined;
    const op = target.slice('AmazonSSM.'.length);
    const err = (type: string, message: string): Reply => ({ status: 400, json: { __type: type, message } });
    switch (op) {
      case 'PutParameter': {
        const name = String(body?.Name ?? '');
        if (!name.startsWith('/') || typeof body?.Value !== 'string')
          return err('ValidationException', 'Name must start with / and Value is required');
        const old = this.params.get(name);
        if (old && !body.Overwrite) return err('ParameterAlreadyExists', 'The parameter already exists.');
        const p: Param = {
          Name: name,
          Type: body.Type ?? 'String',
          Value: body.Value,
          Version: (old?.Version ?? 0) + 1,
          LastModifiedDate: Date.now() / 1000,
        };
        this.params.set(name, p);
        return { json: { Version: p.Version, Tier: 'Standard' } };
      }
      case 'GetParameter': {
        const p = this.params.get(String(body?.Name ?? ''));
        if (!p) return err('ParameterNotFound', '');
        return { json: { Parameter: this.view(p) } };
      }
      case 'GetParameters': {
        const names: string[] = Array.isArray(body?.Names) ? body.Names.map(String) : [];
        return {
          json: {
            Parameters: names.filter((n) => this.params.has(n)).map((n) => this.view(this.params.get(n)!)),
            InvalidParameters: names.filter((n) => !this.params.has(n)),
          },
        };
      }
      default:
        return err('UnknownOperationException', `${op} is not supported by the local stand-in`);
    }
  }
}
