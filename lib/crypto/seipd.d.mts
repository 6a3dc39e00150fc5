/** CFB decryption of a SEIPD v1 body (seipd.mjs): what the tests reach of it directly. */
export class CfbDecipher {
  constructor(cfbCipher: 'aes-128-cfb' | 'aes-192-cfb' | 'aes-256-cfb', key: Buffer);
  update(chunk: Buffer): Buffer[];
  final(): Buffer;
}
