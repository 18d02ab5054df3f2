// Handlers passed by name in a method map; each checks the API key through a class method.
import type { NextApiRequest, NextApiResponse } from "next";
import { ApiKeyService } from "@/lib/public-api/api-keys";
import { withMethods } from "@/lib/public-api/with-methods";
import { db } from "@/lib/db";

const listPrompts = async (req: NextApiRequest, res: NextApiResponse) => {
  await ApiKeyService.verifyAuthHeader(req.headers.authorization);
  res.json(await db.select("prompts"));
};

const createPrompt = async (req: NextApiRequest, res: NextApiResponse) => {
  await ApiKeyService.verifyAuthHeader(req.headers.authorization);
  res.json(await db.insert("prompts", req.body));
};

export const promptsHandler = withMethods({ GET: listPrompts, POST: createPrompt });
