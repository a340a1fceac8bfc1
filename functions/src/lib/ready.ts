import { ConfigError, loadConfig } from '../config';
import { logger } from './logger';

/**
 * For entry points that are not HTTP routes (stream, schedules): secrets first (SSM outside local/dev). A
 * configuration problem is one clear log line naming the parameter, then the invocation fails (and is retried).
 */
export async function ready(): Promise<void> {
  try {
    await loadConfig();
  } catch (e) {
    if (e instanceof ConfigError) logger.error(`refusing to run: ${e.message}`);
    throw e;
  }
}
