import type { NextFunction, Request, Response } from "express";

export function requireApiKey(req: Request, res: Response, next: NextFunction) {
  if (req.get("x-api-key") !== process.env.API_KEY) return res.sendStatus(401);
  next();
}

export function checkSignature(req: Request, res: Response, next: NextFunction) {
  if (!req.get("x-signature")) return res.status(403).end();
  next();
}
