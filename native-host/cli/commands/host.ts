import { runNativeHost } from '../../host/main.js';
import type { CliInvocation } from '../cli-invocation.js';

/** `cas-token host`: the native messaging host on this terminal's stdin/stdout (what browsers start). */
export async function hostCommand({ positionals }: CliInvocation): Promise<void> {
  process.exitCode = await runNativeHost(positionals);
}
