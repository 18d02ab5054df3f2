import { NextResponse, type NextRequest } from "next/server";
import { getSession } from "@/lib/session";

// Runs on /api/account, but only redirects to /login: an API caller gets a 307 at best, and the
// common negative-lookahead matcher leaves every other /api route out entirely.
export async function middleware(req: NextRequest) {
  if (!(await getSession(req))) {
    return NextResponse.redirect(new URL("/login", req.url));
  }
  return NextResponse.next();
}

export const config = {
  matcher: ["/((?!api|_next/static|_next/image|favicon.ico).*)", "/api/account/:path*"],
};
