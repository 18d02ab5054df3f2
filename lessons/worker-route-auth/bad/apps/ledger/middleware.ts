// The cookie check runs only for the paths on the signed-in list; /api/exports is not on it, so
// the matcher covering all of /api protects nothing there.
import { NextResponse, type NextRequest } from "next/server";

const SIGNED_IN_ONLY = ["/dashboard", "/api/ledger"];

export function middleware(request: NextRequest) {
  const path = request.nextUrl.pathname;
  const needsSession = SIGNED_IN_ONLY.some((prefix) => path.startsWith(prefix));
  if (needsSession && !request.cookies.has("ledger-session")) {
    return NextResponse.json({ error: "sign in first" }, { status: 401 });
  }
  return NextResponse.next();
}

export const config = { matcher: ["/dashboard/:path*", "/api/:path*"] };
