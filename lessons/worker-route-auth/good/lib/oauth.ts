type Options<T> = { basePath: string; onConnect: (tokens: T) => Promise<void> };

// Redirects to the provider, then exchanges the code and hands the tokens to onConnect.
export function oauthIntegration<T>(options: Options<T>) {
  return {
    handler: async (req: Request) => {
      const url = new URL(req.url);
      if (url.pathname.endsWith("/callback")) {
        const tokens = (await exchangeCode(url.searchParams.get("code"))) as T;
        await options.onConnect(tokens);
        return Response.redirect(new URL("/settings", req.url));
      }
      return Response.redirect(`https://provider.example/authorize?next=${options.basePath}`);
    },
  };
}

async function exchangeCode(code: string | null): Promise<unknown> {
  return { access: code ?? "" };
}
