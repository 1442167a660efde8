/**
 * Imported first by every extension entry point (background and pages): zod never probes the Function constructor.
 * Extension pages forbid eval (MV3 CSP), so zod's JIT probe would only log a CSP violation and fall back;
 * with `jitless` it does not probe at all. The probe's source stays in the bundle (web-ext lint still
 * sees it: docs/STORES.md explains that warning). The native host keeps zod's JIT.
 */
import { z } from 'zod';

z.config({ jitless: true });
