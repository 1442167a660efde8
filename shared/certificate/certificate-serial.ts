/** The certificate serial number in the three forms people meet (docs/DOMAIN.md, "Serial number"). */

import { bytesToHex } from '../encoding/hex.js';

/** Content bytes of the DER INTEGER (with the 00 sign byte when the top bit of the value is set). */
export interface SerialForms {
  serialNumber: string;
  serialNumberWindows: string;
  serialNumberDecimal: string;
}

export function serialForms(integerContent: Uint8Array): SerialForms {
  const negative = integerContent.length > 0 && (integerContent[0]! & 0x80) !== 0;
  let value = BigInt('0x' + (bytesToHex(integerContent) || '00'));
  if (negative) value -= 1n << BigInt(integerContent.length * 8);
  const magnitude = value < 0n ? -value : value;
  let magnitudeHex = magnitude.toString(16).toUpperCase();
  if (magnitudeHex.length % 2) magnitudeHex = '0' + magnitudeHex;
  // Keep leading zero digits of the value's whole bytes, as `openssl x509 -serial` does.
  let stripped = integerContent;
  while (stripped.length > 1 && stripped[0] === 0) stripped = stripped.subarray(1);
  const bytesHex = negative ? magnitudeHex : bytesToHex(stripped).toUpperCase();
  return {
    serialNumber: (value < 0n ? '-' : '') + bytesHex,
    serialNumberWindows: bytesToHex(integerContent, ' '),
    serialNumberDecimal: value.toString(10),
  };
}
