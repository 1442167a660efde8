/**
 * A Signer backed by the real SoftHSM2 token through the TokenService (the path the CLI and host use),
 * so the format tests sign with a key that never leaves a PKCS#11 token.
 */
import { readFileSync } from 'node:fs';
import { describeCertificate } from '../../shared/certificate/describe-certificate.js';
import { readCertificates } from '../../shared/certificate/certificate-input.js';
import { createBatchSigner } from '../../shared/signature/batch-signer.js';
import type { BatchSigner } from '../../shared/signature/batch-signer.js';
import { TokenService } from '../../native-host/pkcs11/token-service.js';
import type { ProvisionedSoftHsm } from '../../scripts/softhsm/provision.js';

export interface TokenSigning {
  service: TokenService;
  /** A batch signer for `expected` documents with the certificate of CKA_ID `id`; counts the calls to the token. */
  signer(id: string, expected?: number): BatchSigner;
  signCalls(): number;
  close(): void;
}

export function tokenSigning(store: ProvisionedSoftHsm): TokenSigning {
  const service = new TokenService({ modules: [{ path: store.modulePath, source: 'argument' }], describeCertificate });
  let calls = 0;
  return {
    service,
    signer(id, expected = 1) {
      const provisioned = store.tokens.flatMap((t) => t.certificates).find((c) => c.id === id)!;
      const certificate = readCertificates(readFileSync(provisioned.certificatePath))[0]!;
      return createBatchSigner({
        certificate,
        expected,
        signDigests: async (digests, hashAlgorithm) => {
          calls += 1;
          const signed = await service.signDigests({ certificate: { id }, hashAlgorithm, scheme: 'auto', digests, pin: store.tokens[0]!.pin });
          return signed.signatures;
        },
      });
    },
    signCalls: () => calls,
    close: () => service.close(),
  };
}
