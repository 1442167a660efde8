/**
 * Layers point one way (ARCHITECTURE.md): the lint that `npm test` runs refuses an import from a layer
 * a file must not know (the background never imports the pages, extension/common neither the pages nor
 * the background, shared/ no side at all), and leaves the allowed direction alone. The real ESLint
 * configuration lints sample files placed in each layer; the tree itself is linted by `npm run lint`.
 */
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint({ cwd: process.cwd() });

/** The layer rule's verdicts on `import … from specifier` written in a file at `filePath`. */
async function layerErrors(filePath: string, specifier: string): Promise<string[]> {
  const [result] = await eslint.lintText(`import { x } from '${specifier}';\nexport const y = x;\n`, { filePath });
  return result!.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('layers point one way', () => {
  it('the background may not import from the pages, at any depth', async () => {
    expect(await layerErrors('extension/background/sample.ts', '../ui/i18n.js')).toEqual([expect.stringContaining('must not import from ui/')]);
    expect(await layerErrors('extension/background/actions/sample.ts', '../../ui/error-keys.js')).toEqual([expect.stringContaining('must not import from ui/')]);
    expect(await layerErrors('extension/background/signing/sample.ts', '../../ui/prompt/prompt.js')).toHaveLength(1);
  });

  it('the background takes strings, error sentences and protocol from extension/common and shared/', async () => {
    expect(await layerErrors('extension/background/sample.ts', '../common/i18n.js')).toEqual([]);
    expect(await layerErrors('extension/background/actions/sample.ts', '../../common/error-keys.js')).toEqual([]);
    expect(await layerErrors('extension/background/sample.ts', '../../shared/protocol/extension-messages.js')).toEqual([]);
  });

  it('the pages may import the background (its types), and extension/common', async () => {
    expect(await layerErrors('extension/ui/prompt/sample.tsx', '../../background/prompt-windows.js')).toEqual([]);
    expect(await layerErrors('extension/ui/popup/sample.tsx', '../../common/ask-background.js')).toEqual([]);
  });

  it('extension/common knows neither the pages nor the background', async () => {
    expect(await layerErrors('extension/common/sample.ts', '../ui/error-text.js')).toHaveLength(1);
    expect(await layerErrors('extension/common/sample.ts', '../background/prompt-windows.js')).toHaveLength(1);
  });

  it('the content scripts and the page SDK do not reach into the background or the pages', async () => {
    expect(await layerErrors('extension/content/fill/sample.ts', '../../background/actions/fill-form.js')).toHaveLength(1);
    expect(await layerErrors('extension/sdk/sample.ts', '../ui/i18n.js')).toHaveLength(1);
  });

  it('shared/ runs anywhere: it imports neither the extension nor the native host', async () => {
    expect(await layerErrors('shared/protocol/sample.ts', '../../extension/common/i18n.js')).toHaveLength(1);
    expect(await layerErrors('shared/signature/sample.ts', '../../native-host/pkcs11/token-service.js')).toHaveLength(1);
  });
});
