// Clerk's older middleware refuses every path except its public ones; /api/sync was made public
// for the till's nightly push, and the route itself checks nothing.
import { authMiddleware } from "@clerk/nextjs";

export default authMiddleware({
  publicRoutes: ["/", "/sign-in(.*)", "/api/sync"],
  ignoredRoutes: ["/api/health"],
});

export const config = { matcher: ["/((?!.+\\.[\\w]+$|_next).*)", "/", "/(api|trpc)(.*)"] };
