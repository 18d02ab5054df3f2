"""Copy the audit log into its archive table in batches.

A strict `>` restarts after the last timestamp copied: rows sharing it that did not fit in
the batch are never copied, whatever the NOT EXISTS says.
"""

from sqlalchemy import text

COPY_BATCH = text(
    # lessons: expect[pagination-tiebreaker]
    """
    INSERT INTO audit_archive (entry_id, logged_at, actor, action)
    SELECT a.entry_id, a.logged_at, a.actor, a.action
    FROM audit_log a
    WHERE a.logged_at > :last_copied
      AND NOT EXISTS (SELECT 1 FROM audit_archive r WHERE r.entry_id = a.entry_id)
    ORDER BY a.logged_at
    LIMIT :batch
    RETURNING logged_at
    """
)
