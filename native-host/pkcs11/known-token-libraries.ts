/**
 * The PKCS#11 libraries of the tokens our users hold, and where each OS usually has them (docs/DOMAIN.md, "Tokens and drivers").
 * Within one family the paths are alternatives for the same library, most likely first.
 */
import { posix, win32 } from 'node:path';

export interface KnownTokenLibrary {
  /** The family name shown beside a module (`ModuleInfo.vendor`). */
  vendor: string;
  /** Which tokens (and which Romanian / Russian CAs ship them) this library serves. */
  tokens: string;
  /** Absolute paths, most likely first. */
  paths: string[];
}

interface LibraryFamily {
  vendor: string;
  tokens: string;
  /** Windows: DLL file names in System32, or absolute paths (with %ProgramFiles% placeholders). */
  windows: string[];
  darwin: string[];
  linux: string[];
}

/** Linux multiarch folders next to the plain ones (Debian/Ubuntu on 64-bit PCs and ARM). */
const MULTIARCH = ['x86_64-linux-gnu', 'aarch64-linux-gnu'];

const FAMILIES: LibraryFamily[] = [
  {
    vendor: 'SafeNet eToken',
    tokens: 'SafeNet eToken 5110 / IDPrime 940 (certSIGN, AlfaSign, Trans Sped)',
    windows: ['eTPKCS11.dll', 'IDPrimePKCS1164.dll'],
    darwin: ['/usr/local/lib/libeTPkcs11.dylib', '/Library/Frameworks/eToken.framework/Versions/Current/libeToken.dylib'],
    linux: ['/usr/lib/libeTPkcs11.so', '/usr/lib64/libeTPkcs11.so', '/usr/local/lib/libeTPkcs11.so'],
  },
  {
    vendor: 'Gemalto IDPrime',
    tokens: 'Gemalto / Thales IDPrime cards and tokens',
    windows: ['IDPrimePKCS1164.dll', 'IDPrimePKCS11.dll'],
    darwin: ['/usr/local/lib/libidprimepkcs11.0.dylib', '/usr/local/lib/libIDPrimePKCS11.dylib'],
    linux: ['/usr/lib/libIDPrimePKCS11.so', '/usr/lib64/libIDPrimePKCS11.so'],
  },
  {
    vendor: 'Gemalto Classic Client',
    tokens: 'Gemalto Classic Client tokens',
    windows: ['gclib.dll'],
    darwin: [],
    linux: [],
  },
  {
    vendor: 'Bit4id',
    tokens: 'Bit4id tokens and cards',
    windows: ['bit4xpki.dll', 'bit4ipki.dll'],
    darwin: ['/System/Library/bit4id/libbit4xpki.dylib'],
    linux: ['/usr/lib/libbit4xpki.so', '/usr/lib/bit4id/libbit4xpki.so'],
  },
  {
    vendor: 'Athena IDProtect',
    tokens: 'Athena IDProtect tokens',
    windows: ['asepkcs.dll'],
    darwin: ['/Library/Application Support/Athena/libASEP11.dylib'],
    linux: ['/usr/lib/x64-athena/libASEP11.so', '/usr/lib/libASEP11.so'],
  },
  {
    vendor: 'Feitian ePass2003',
    tokens: 'Feitian ePass2003 tokens',
    windows: ['eps2003csp11.dll'],
    darwin: ['/usr/local/lib/libcastle.1.0.0.dylib'],
    linux: ['/usr/lib/libcastle.so.1.0.0', '/usr/local/lib/libcastle.so.1.0.0'],
  },
  {
    vendor: 'Rutoken',
    tokens: 'Rutoken ECP (Рутокен ЭЦП)',
    windows: ['rtPKCS11ECP.dll'],
    darwin: ['/Library/Frameworks/rtpkcs11ecp.framework/rtpkcs11ecp', '/usr/local/lib/librtpkcs11ecp.dylib'],
    linux: ['/usr/local/lib/librtpkcs11ecp.so', '/usr/lib/librtpkcs11ecp.so', ...MULTIARCH.map((arch) => `/usr/lib/${arch}/librtpkcs11ecp.so`)],
  },
  {
    vendor: 'JaCarta',
    tokens: 'JaCarta (Аладдин Р.Д.)',
    windows: ['jcPKCS11-2.dll'],
    darwin: ['/Library/Frameworks/jcPKCS11-2.framework/jcPKCS11-2'],
    linux: ['/usr/lib/libjcPKCS11-2.so', '/usr/lib/pkcs11/libjcPKCS11-2.so', ...MULTIARCH.map((arch) => `/usr/lib/${arch}/libjcPKCS11-2.so`)],
  },
  {
    vendor: 'OpenSC',
    tokens: 'many smart cards and tokens (OpenSC)',
    windows: ['opensc-pkcs11.dll', '%ProgramFiles%\\OpenSC Project\\OpenSC\\pkcs11\\opensc-pkcs11.dll'],
    darwin: ['/Library/OpenSC/lib/pkcs11/opensc-pkcs11.so', '/Library/OpenSC/lib/opensc-pkcs11.so', '/opt/homebrew/lib/opensc-pkcs11.so', '/usr/local/lib/opensc-pkcs11.so'],
    linux: [
      ...MULTIARCH.map((arch) => `/usr/lib/${arch}/opensc-pkcs11.so`),
      '/usr/lib/opensc-pkcs11.so',
      '/usr/lib64/opensc-pkcs11.so',
      '/usr/lib/pkcs11/opensc-pkcs11.so',
      '/usr/lib64/pkcs11/opensc-pkcs11.so',
    ],
  },
  {
    vendor: 'SoftHSM2',
    tokens: 'SoftHSM2 software tokens (tests and the demo)',
    windows: ['%ProgramFiles%\\SoftHSM2\\lib\\softhsm2-x64.dll'],
    darwin: ['/opt/homebrew/lib/softhsm/libsofthsm2.so', '/usr/local/lib/softhsm/libsofthsm2.so'],
    linux: ['/usr/lib/softhsm/libsofthsm2.so', ...MULTIARCH.map((arch) => `/usr/lib/${arch}/softhsm/libsofthsm2.so`), '/usr/lib64/pkcs11/libsofthsm2.so', '/usr/local/lib/softhsm/libsofthsm2.so'],
  },
];

export interface WindowsFolders {
  /** `%SystemRoot%`, e.g. `C:\Windows`. */
  systemRoot: string;
  /** `%ProgramFiles%`, e.g. `C:\Program Files`. */
  programFiles: string;
}

/** The known libraries with their absolute paths on `platform` (other platforms: the Linux table). */
export function knownTokenLibrariesFor(platform: NodeJS.Platform, windowsFolders?: WindowsFolders): KnownTokenLibrary[] {
  const folders = windowsFolders ?? { systemRoot: 'C:\\Windows', programFiles: 'C:\\Program Files' };
  return FAMILIES.map((family) => {
    let paths: string[];
    if (platform === 'win32') {
      paths = family.windows.map((name) => (name.includes('\\') ? name.replace('%ProgramFiles%', folders.programFiles) : win32.join(folders.systemRoot, 'System32', name)));
    } else if (platform === 'darwin') {
      paths = family.darwin;
    } else {
      paths = family.linux;
    }
    return { vendor: family.vendor, tokens: family.tokens, paths: [...paths] };
  }).filter((library) => library.paths.length > 0);
}

/** The family a module file belongs to, by its file name (any platform, case-insensitive). */
export function vendorOfModulePath(path: string): string | undefined {
  const name = (path.includes('\\') ? win32.basename(path) : posix.basename(path)).toLowerCase();
  for (const family of FAMILIES) {
    const names = [...family.windows, ...family.darwin, ...family.linux].map((known) => (known.includes('\\') ? win32.basename(known) : posix.basename(known)).toLowerCase());
    if (names.includes(name)) return family.vendor;
  }
  return undefined;
}
