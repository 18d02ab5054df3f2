"use client";

import type { ToolOutput } from "@/lib/ai/tools";
import posthog from "posthog-js";

// `import type` loads nothing at runtime: lib/ai/tools.ts does not become client code.
export function ToolCard({ output }: { output: ToolOutput }) {
  return <button onClick={() => posthog.capture("tool_card_opened")}>{String(output.ok)}</button>;
}
