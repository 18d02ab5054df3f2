// A catch-all handing every request to better-auth: the sign-in flow itself, whatever the
// folder is called, even behind an analytics wrapper.
import { toNextJsHandler } from "better-auth/next-js";
import { authConfig } from "@/lib/auth-config";

const { POST: authPost, GET: authGet } = toNextJsHandler(authConfig);

function withTiming<T extends (req: Request) => Promise<Response>>(handler: T) {
  return async (req: Request) => {
    const started = Date.now();
    const response = await handler(req);
    console.info("auth request", Date.now() - started);
    return response;
  };
}

export const POST = withTiming(authPost);
export const GET = withTiming(authGet);
