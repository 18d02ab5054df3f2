// The old URL keeps working: same handlers, same auth.
export { GET, POST } from "../orders/route";
