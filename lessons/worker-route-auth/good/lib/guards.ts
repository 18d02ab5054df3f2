import { hasCronSecret } from "./cron";

export function isAuthorizedCron(req: Request): boolean {
  return hasCronSecret(req);
}
