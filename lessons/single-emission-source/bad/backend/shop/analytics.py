"""The backend's analytics helpers: one posthog-python client and a generic wrapper."""

import posthog
from posthog import Posthog

client = Posthog("phc_project_key", host="https://eu.i.posthog.com")


def track(event: str, user_id: str, **properties: object) -> None:
    # The event is a parameter: each caller that passes a name is an emission site.
    posthog.capture(user_id, event, properties=properties)
