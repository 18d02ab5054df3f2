import { primary, withReplicas } from "./db";

// Read replicas are optional: without the variable every query goes to the primary. The early
// return is the statement form of `process.env.APP_REPLICA_URLS || primary`.
export function database() {
  if (!process.env.APP_REPLICA_URLS) {
    return primary;
  }
  return withReplicas(primary, process.env.APP_REPLICA_URLS.split(","));
}

export function supportAddress(host: string) {
  if (process.env.APP_SUPPORT_EMAIL) {
    return process.env.APP_SUPPORT_EMAIL;
  }
  return `support@${host}`;
}
