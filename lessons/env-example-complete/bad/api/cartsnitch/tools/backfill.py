"""A maintenance script: literal reads get no prefix, whatever the settings classes use."""

import os

BATCH = int(os.getenv("BACKFILL_BATCH", "500"))
