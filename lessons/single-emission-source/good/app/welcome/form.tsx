"use client";

import { usePostHog } from "posthog-js/react";

export function WelcomeSurvey({ surveyId }: { surveyId: string }) {
  const posthog = usePostHog();
  return (
    <button onClick={() => posthog.capture("survey sent", { $survey_id: surveyId })}>Send</button>
  );
}
