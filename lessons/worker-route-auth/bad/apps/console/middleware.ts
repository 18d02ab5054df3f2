// The matcher covers all of /api, but the body lets a list of prefixes through before the key
// check: the routes under them are as open as if there were no middleware.
import { NextResponse, type NextRequest } from "next/server";

const PUBLIC_PREFIXES = ["/api/hooks", "/api/health"];

function isPublic(pathname: string) {
  return PUBLIC_PREFIXES.some((prefix) => pathname.startsWith(prefix));
}

export function middleware(req: NextRequest) {
  const { pathname } = req.nextUrl;
  if (isPublic(pathname)) {
    return NextResponse.next();
  }
  if (req.headers.get("x-console-key") !== process.env.CONSOLE_API_KEY) {
    return NextResponse.json({ error: "unauthorized" }, { status: 401 });
  }
  return NextResponse.next();
}

export const config = { matcher: ["/api/:path*"] };
