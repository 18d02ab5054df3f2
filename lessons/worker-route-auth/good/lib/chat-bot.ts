import { Chat } from "chat";

// The chat SDK's adapters check each platform's signature or secret token before a handler runs.
export const bot = new Chat({ userName: "reorder-bot", adapters: {} });
