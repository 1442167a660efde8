/**
 * Streebog for the service worker: `import()` is forbidden in service workers, so the library that
 * shared/signature/streebog.ts loads on demand elsewhere is imported here statically (after the
 * `global` it needs) and handed over.
 */
import './node-global.js';
import GostDigest from 'node-gost-crypto/lib/gostDigest.js';
import { provideStreebog } from '../../shared/signature/streebog.js';
import type { GostDigestClass } from '../../shared/signature/streebog.js';

provideStreebog(GostDigest as GostDigestClass);
