/** How our tools start Chromium with the unpacked extension: headless-new, no network chatter. */
export function chromiumExtensionArgs(extension: string): string[] {
  return [
    '--headless=new',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    `--disable-extensions-except=${extension}`,
    `--load-extension=${extension}`,
  ];
}
