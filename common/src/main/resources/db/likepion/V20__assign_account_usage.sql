-- assign-service: per-account posting usage, the dispatcher's ledger for the rate_limit settings.
-- One row per account: posts handed out on `day` (UTC calendar day) and when the last one was handed out. The
-- dispatcher consumes a post with one guarded upsert (ON CONFLICT ... DO UPDATE ... WHERE posts < max AND
-- last_post_at <= now - cooldown); the conflicting row is locked and the guard re-checked on its newest version, so
-- two replicas can never both take the last post of a day or two posts within the cooldown.
CREATE TABLE account_usage (
    account_id    uuid        PRIMARY KEY REFERENCES accounts (id) ON DELETE CASCADE,
    day           date        NOT NULL,
    posts         integer     NOT NULL CHECK (posts >= 0),
    last_post_at  timestamptz NOT NULL
);

-- GET /links/account-stats: a posting account's pending links (completed ones use links_email_completed_idx)
CREATE INDEX links_email_pending_idx ON links (email, request_id) WHERE status = 'pending';
