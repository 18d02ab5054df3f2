export async function verifyDeviceSignature(publicKey: string, signature: string) {
  return publicKey.length > 0 && signature.length > 0;
}
