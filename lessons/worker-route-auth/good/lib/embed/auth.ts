// A token wrapper that rejects by throwing an API error with code "unauthorized".
import { headers } from "next/headers";
import { ApiError } from "@/lib/errors";
import { lookupToken } from "@/lib/embed/tokens";

type Handler = (ctx: { req: Request; partnerId: string }) => Promise<Response>;

export const withEmbedToken = (handler: Handler) => async (req: Request) => {
  const token = (await headers()).get("Authorization")?.split(" ")[1];
  const partnerId = token ? await lookupToken(token) : null;
  if (!partnerId) {
    throw new ApiError({ code: "unauthorized", message: "Embed token not found" });
  }
  return handler({ req, partnerId });
};
