import { readFileSync } from 'node:fs';
import { ENV_FILE } from './paths';

Object.assign(process.env, JSON.parse(readFileSync(ENV_FILE, 'utf8')));

// Keep test output to warnings and errors; tests/integration/observability.test.ts turns INFO logs and EMF metrics
// on for its own run (tests/support/observe-env.ts).
process.env.POWERTOOLS_LOG_LEVEL ??= 'WARN';
process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
