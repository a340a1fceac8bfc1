import { grantsVersionOf } from '../data/users';
import { useGrantsVersionLookup } from '../lib/session';

/*
 * Grants are checked per request (SPEC: a removed role stops working within a minute): the session reads the
 * user's grants version through this lookup. Every handler module imports this file for its side effect.
 */
useGrantsVersionLookup(grantsVersionOf);
