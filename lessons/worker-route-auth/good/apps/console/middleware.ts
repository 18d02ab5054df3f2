// Public prefixes are let through first; every other /api path reaches the key check.
import { NextResponse, type NextRequest } from "next/server";

const PUBLIC_PREFIXES = ["/api/health", "/api/status"];

export function middleware(req: NextRequest) {
  const path = req.nextUrl.pathname;
  if (PUBLIC_PREFIXES.some((prefix) => path.startsWith(prefix))) {
    return NextResponse.next();
  }
  if (path.startsWith("/api/admin") && req.cookies.get("role")?.value !== "admin") {
    return NextResponse.json({ error: "forbidden" }, { status: 403 });
  }
  if (req.headers.get("x-console-key") !== process.env.CONSOLE_API_KEY) {
    return NextResponse.json({ error: "unauthorized" }, { status: 401 });
  }
  return NextResponse.next();
}

export const config = { matcher: ["/api/:path*"] };
