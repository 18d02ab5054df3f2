const tokens = new Map<string, string>();

export async function lookupToken(token: string): Promise<string | null> {
  return tokens.get(token) ?? null;
}
