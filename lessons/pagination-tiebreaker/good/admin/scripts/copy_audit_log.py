"""Copy the audit log into its archive table in batches, resumable after a crash.

Each batch restarts at the last timestamp copied (`>=`, so rows sharing it come back) and the
NOT EXISTS skips the ones the archive already holds: a tie can neither repeat nor go missing.
"""

from sqlalchemy import text

COPY_BATCH = text(
    """
    INSERT INTO audit_archive (entry_id, logged_at, actor, action)
    SELECT a.entry_id, a.logged_at, a.actor, a.action
    FROM audit_log a
    WHERE a.logged_at >= :last_copied
      AND NOT EXISTS (SELECT 1 FROM audit_archive r WHERE r.entry_id = a.entry_id)
    ORDER BY a.logged_at
    LIMIT :batch
    RETURNING logged_at
    """
)


def copy_all(connection, start, batch: int = 1000) -> None:
    last_copied = start
    while True:
        rows = connection.execute(COPY_BATCH, {"last_copied": last_copied, "batch": batch}).all()
        if not rows:
            return
        last_copied = rows[-1][0]
