export { withError } from "./error";
export { withQstashOrInternal } from "./qstash";
