/**
 * Which PKCS#11 modules the host uses on each OS: the user's choice first, then the usual places.
 * The file system, environment, platform and home folder are injected: no real drivers needed.
 */
import { describe, expect, it } from 'vitest';
import { discoverModules, knownTokenLibraries, missingModuleHint, readModuleConfig, userConfigPath } from '../../../native-host/pkcs11/module-discovery.js';
import type { DiscoveryOptions } from '../../../native-host/pkcs11/module-discovery.js';

function machine(platform: NodeJS.Platform, files: string[], extra: Partial<DiscoveryOptions> = {}): DiscoveryOptions {
  const present = new Set(files);
  return {
    platform,
    env: {},
    homeDir: platform === 'win32' ? 'C:\\Users\\medic' : platform === 'darwin' ? '/Users/medic' : '/home/medic',
    exists: (path) => present.has(path),
    readFile: () => undefined,
    realpath: (path) => path,
    ...extra,
  };
}

describe('discovery in the usual places', () => {
  it('finds the SafeNet, OpenSC (multiarch) and SoftHSM2 libraries on Linux, each once, named by family', () => {
    const found = discoverModules(machine('linux', ['/usr/lib/libeTPkcs11.so', '/usr/lib/x86_64-linux-gnu/opensc-pkcs11.so', '/usr/lib/opensc-pkcs11.so', '/usr/lib/softhsm/libsofthsm2.so']));
    expect(found).toEqual([
      { path: '/usr/lib/libeTPkcs11.so', vendor: 'SafeNet eToken', source: 'discovered' },
      { path: '/usr/lib/x86_64-linux-gnu/opensc-pkcs11.so', vendor: 'OpenSC', source: 'discovered' },
      { path: '/usr/lib/softhsm/libsofthsm2.so', vendor: 'SoftHSM2', source: 'discovered' },
    ]);
  });

  it('finds Ubuntu multiarch SoftHSM2 and Rutoken paths', () => {
    const found = discoverModules(machine('linux', ['/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so', '/usr/lib/x86_64-linux-gnu/librtpkcs11ecp.so']));
    expect(found.map((m) => [m.vendor, m.path])).toEqual([
      ['Rutoken', '/usr/lib/x86_64-linux-gnu/librtpkcs11ecp.so'],
      ['SoftHSM2', '/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so'],
    ]);
  });

  it('loads one library reached by two paths (a symbolic link) only once', () => {
    const found = discoverModules(
      machine('linux', ['/usr/lib/libeTPkcs11.so', '/usr/lib/libIDPrimePKCS11.so'], {
        realpath: (path) => (path === '/usr/lib/libIDPrimePKCS11.so' ? '/usr/lib/libeTPkcs11.so' : path),
      }),
    );
    expect(found.map((m) => m.path)).toEqual(['/usr/lib/libeTPkcs11.so']);
  });

  it('finds the Windows DLLs in System32 of the Windows folder the environment names', () => {
    const found = discoverModules(
      machine('win32', ['D:\\Win\\System32\\eTPKCS11.dll', 'D:\\Win\\System32\\IDPrimePKCS1164.dll', 'D:\\Win\\System32\\rtPKCS11ECP.dll'], {
        env: { SystemRoot: 'D:\\Win' },
      }),
    );
    expect(found).toEqual([
      { path: 'D:\\Win\\System32\\eTPKCS11.dll', vendor: 'SafeNet eToken', source: 'discovered' },
      { path: 'D:\\Win\\System32\\IDPrimePKCS1164.dll', vendor: 'Gemalto IDPrime', source: 'discovered' },
      { path: 'D:\\Win\\System32\\rtPKCS11ECP.dll', vendor: 'Rutoken', source: 'discovered' },
    ]);
  });

  it('finds the macOS libraries and frameworks', () => {
    const found = discoverModules(machine('darwin', ['/Library/Frameworks/eToken.framework/Versions/Current/libeToken.dylib', '/Library/OpenSC/lib/pkcs11/opensc-pkcs11.so']));
    expect(found.map((m) => m.vendor)).toEqual(['SafeNet eToken', 'OpenSC']);
  });

  it('finds nothing on a machine without drivers', () => {
    expect(discoverModules(machine('linux', []))).toEqual([]);
  });

  it('knows the library of every token family in the domain table for each OS', () => {
    const windows = knownTokenLibraries('win32');
    expect(windows.map((l) => l.vendor)).toEqual(
      expect.arrayContaining(['SafeNet eToken', 'Gemalto IDPrime', 'Gemalto Classic Client', 'Bit4id', 'Athena IDProtect', 'Feitian ePass2003', 'Rutoken', 'JaCarta', 'OpenSC']),
    );
    expect(windows.flatMap((l) => l.paths).every((p) => /^C:\\.*\.dll$/i.test(p))).toBe(true);
    expect(windows.find((l) => l.vendor === 'SafeNet eToken')!.tokens).toContain('certSIGN');
    const linux = knownTokenLibraries('linux').flatMap((l) => l.paths);
    expect(linux).toEqual(expect.arrayContaining(['/usr/lib/softhsm/libsofthsm2.so', '/usr/lib/x86_64-linux-gnu/opensc-pkcs11.so', '/usr/lib/x64-athena/libASEP11.so']));
    expect(knownTokenLibraries('darwin').flatMap((l) => l.paths)).toContain('/Library/Frameworks/rtpkcs11ecp.framework/rtpkcs11ecp');
  });
});

describe("the user's choice", () => {
  it('takes CAS_TOKEN_MODULES first (":" on Linux), over the config file and discovery', () => {
    const found = discoverModules(
      machine('linux', ['/usr/lib/softhsm/libsofthsm2.so'], {
        env: { CAS_TOKEN_MODULES: '/opt/safenet/libeTPkcs11.so:/opt/custom/libtoken.so' },
        readFile: () => '{ "modules": ["/from/config.so"] }',
      }),
    );
    expect(found).toEqual([
      { path: '/opt/safenet/libeTPkcs11.so', vendor: 'SafeNet eToken', source: 'env' },
      { path: '/opt/custom/libtoken.so', source: 'env' },
    ]);
  });

  it('splits CAS_TOKEN_MODULES on ";" on Windows, where paths contain ":"', () => {
    const found = discoverModules(machine('win32', [], { env: { CAS_TOKEN_MODULES: 'C:\\A\\eTPKCS11.dll;C:\\B\\bit4xpki.dll;' } }));
    expect(found.map((m) => [m.path, m.vendor])).toEqual([
      ['C:\\A\\eTPKCS11.dll', 'SafeNet eToken'],
      ['C:\\B\\bit4xpki.dll', 'Bit4id'],
    ]);
  });

  it('takes the config file when the environment names no module', () => {
    const read: string[] = [];
    const found = discoverModules(
      machine('linux', ['/usr/lib/softhsm/libsofthsm2.so'], {
        readFile: (path) => {
          read.push(path);
          return JSON.stringify({ modules: ['/opt/jacarta/libjcPKCS11-2.so'] });
        },
      }),
    );
    expect(read).toEqual(['/home/medic/.config/cas-token/config.json']);
    expect(found).toEqual([{ path: '/opt/jacarta/libjcPKCS11-2.so', vendor: 'JaCarta', source: 'config' }]);
  });

  it('falls back to discovery when the config file is broken, and says what is wrong with it', () => {
    const options = machine('linux', ['/usr/lib/softhsm/libsofthsm2.so'], { readFile: () => '{ modules: [' });
    expect(discoverModules(options).map((m) => m.source)).toEqual(['discovered']);
    expect(readModuleConfig(options).problem).toContain('not valid JSON');
    const wrongShape = machine('linux', [], { readFile: () => '{ "modules": "/usr/lib/libeTPkcs11.so" }' });
    expect(readModuleConfig(wrongShape).problem).toContain('list of library paths');
  });

  it('keeps the config file where each OS keeps such files', () => {
    expect(userConfigPath({ platform: 'linux', homeDir: '/home/medic', env: {} })).toBe('/home/medic/.config/cas-token/config.json');
    expect(userConfigPath({ platform: 'linux', homeDir: '/home/medic', env: { XDG_CONFIG_HOME: '/cfg' } })).toBe('/cfg/cas-token/config.json');
    expect(userConfigPath({ platform: 'win32', homeDir: 'C:\\Users\\medic', env: { APPDATA: 'C:\\Users\\medic\\AppData\\Roaming' } })).toBe(
      'C:\\Users\\medic\\AppData\\Roaming\\cas-token\\config.json',
    );
    expect(userConfigPath({ platform: 'darwin', homeDir: '/Users/medic', env: {} })).toBe('/Users/medic/Library/Application Support/cas-token/config.json');
  });
});

describe('when no driver is found', () => {
  it('names which driver to install for which token, and how to point us at a library', () => {
    const hint = missingModuleHint('linux');
    expect(hint).toMatch(/certSIGN, AlfaSign \/ AlfaTrust and Trans Sped tokens .* SafeNet Authentication Client/);
    expect(hint).toMatch(/Rutoken ECP → Rutoken drivers/);
    expect(hint).toContain('apt-get install opensc');
    expect(hint).toContain('CAS_TOKEN_MODULES');
    expect(hint).toContain('~/.config/cas-token/config.json');
    const windows = missingModuleHint('win32');
    expect(windows).toContain('%APPDATA%\\cas-token\\config.json');
    expect(windows).toContain('joined by ";"');
    expect(missingModuleHint('darwin')).toContain('~/Library/Application Support/cas-token/config.json');
  });
});
