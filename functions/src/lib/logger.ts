import { Logger } from '@aws-lambda-powertools/logger';

/** Structured JSON logs; unexpected errors carry their detail here and never in a response. */
export const logger = new Logger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'mashang-jiandu' });
