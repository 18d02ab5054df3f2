export { promptsHandler as default } from "@/lib/public-api/prompts";
