import { readFileSync } from 'node:fs';
import { ENV_FILE } from './paths';

Object.assign(process.env, JSON.parse(readFileSync(ENV_FILE, 'utf8')));
