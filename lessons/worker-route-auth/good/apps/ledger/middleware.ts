// Only the signed-in list reaches the cookie check, and every route that writes is on it.
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
