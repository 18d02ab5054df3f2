from cartsnitch.config import Settings


class WorkerSettings(Settings):
    queue_url: str


worker_settings = WorkerSettings()
