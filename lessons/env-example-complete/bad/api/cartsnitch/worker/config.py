"""The worker's settings: the API's settings plus its own, split across modules."""

from cartsnitch.config import Settings


class WorkerSettings(Settings):
    queue_url: str  # lessons: expect[env-example-complete]
    # inherited fields read the same CARTSNITCH_ variables: reported once, at Settings


worker_settings = WorkerSettings()
