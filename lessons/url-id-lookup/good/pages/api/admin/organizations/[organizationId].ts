// From langfuse: auth and plan checks, then one delegate per method.
import type { NextApiRequest, NextApiResponse } from "next";
import { AdminApiAuthService } from "@/server/adminApiAuth";
import { handleDelete, handleGet, handleUpdate } from "@/server/organizationById";
import { getSelfHostedInstancePlanServerSide } from "@/server/getPlan";

export default async function handler(req: NextApiRequest, res: NextApiResponse) {
  if (!AdminApiAuthService.handleAdminAuth(req, res)) return;
  if (!getSelfHostedInstancePlanServerSide()) return res.status(403).json({ error: "plan" });
  switch (req.method) {
    case "GET":
      return await handleGet(req, res);
    case "PUT":
      return await handleUpdate(req, res);
    case "DELETE":
      return await handleDelete(req, res);
    default:
      res.status(405).json({ error: "Method Not Allowed" });
  }
}
