/**
 * fontkit for the service worker: `import()` is forbidden in service workers, so the library that
 * shared/signature/fontkit-loader.ts loads on demand elsewhere is imported here statically and handed over.
 */
import fontkit from '@pdf-lib/fontkit';
import { provideFontkit } from '../../shared/signature/fontkit-loader.js';

provideFontkit(fontkit);
