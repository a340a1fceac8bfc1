import { join } from 'node:path';

/** Where global setup leaves the environment of the running test infrastructure for the test workers. */
export const ENV_FILE = join(__dirname, '../../tmp/test-env.json');
