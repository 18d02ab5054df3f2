import { jitsuAnalytics } from "@jitsu/js";

const jitsu = jitsuAnalytics({ host: process.env.JITSU_HOST!, writeKey: process.env.JITSU_KEY! });

// The helpers hand back a promise that cannot reject: safe to await anywhere.
export const identifyMember = (memberId: string) =>
  jitsu.identify(memberId).catch((error) => console.warn("jitsu identify", error));
export const trackOnboarding = (step: string) => {
  jitsu.track("onboarding_step", { step }).catch(() => undefined);
};
