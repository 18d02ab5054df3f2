// The auth library's own endpoints (sign-in, callbacks): reached before there is a session.
import { toNextJsHandler } from "better-auth/next-js";
import { authConfig } from "@/lib/auth-config";

const handlers = toNextJsHandler(authConfig);

export const { GET, POST, PUT, PATCH, DELETE } = handlers;
