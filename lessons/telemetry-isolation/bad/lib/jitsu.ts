import { jitsuAnalytics } from "@jitsu/js";

const jitsu = jitsuAnalytics({ host: process.env.JITSU_HOST!, writeKey: process.env.JITSU_KEY! });

// One-line helpers that hand back Jitsu's promise: whoever awaits them awaits the request to Jitsu.
export const identifyMember = (memberId: string) => jitsu.identify(memberId);
export const trackOnboarding = (step: string) => jitsu.track("onboarding_step", { step });
