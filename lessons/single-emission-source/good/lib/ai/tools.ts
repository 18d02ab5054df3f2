declare const serverAnalytics: { track(event: string, properties?: object): void };

// Handed to the AI SDK by the server; the client only imports its types (components/ToolCard).
export type ToolOutput = { ok: boolean };

export const tools = {
  updateRule: {
    execute: async () => {
      serverAnalytics.track("tool_called", { tool: "updateRule" });
      return { ok: true } satisfies ToolOutput;
    },
  },
};
