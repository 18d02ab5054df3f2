export class ApiKeyService {
  static async verifyAuthHeader(header: string | undefined): Promise<void> {
    if (!header) throw new Error("missing key");
  }
}
