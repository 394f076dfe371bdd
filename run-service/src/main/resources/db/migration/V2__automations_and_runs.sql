-- Automations, their immutable versions, runs, run steps and the append-only run event log.
-- Ids are UUIDv7 (time-ordered): ordering by id is ordering by creation, so keyset pages are index range scans.

CREATE TABLE automations (
    id                 uuid PRIMARY KEY,
    tenant_id          text        NOT NULL,
    name               text        NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    current_version_id uuid        NOT NULL,
    version_number     integer     NOT NULL CHECK (version_number >= 1),
    created_by         text        NOT NULL,
    created_at         timestamptz NOT NULL,
    updated_at         timestamptz NOT NULL
);
-- Serves GET /automations (a tenant's automations, newest first).
CREATE INDEX automations_tenant_id_idx ON automations (tenant_id, id);

-- A version is never changed once written: runs pin the version they started on.
CREATE TABLE automation_versions (
    id             uuid PRIMARY KEY,
    automation_id  uuid        NOT NULL REFERENCES automations (id) ON DELETE CASCADE,
    version_number integer     NOT NULL CHECK (version_number >= 1),
    name           text        NOT NULL,
    steps          jsonb       NOT NULL,
    created_by     text        NOT NULL,
    created_at     timestamptz NOT NULL,
    UNIQUE (automation_id, version_number)
);

CREATE TABLE runs (
    id                    uuid PRIMARY KEY,
    tenant_id             text        NOT NULL,
    automation_id         uuid        NOT NULL,
    automation_version_id uuid        NOT NULL REFERENCES automation_versions (id),
    version_number        integer     NOT NULL,
    status                text        NOT NULL CHECK (status IN ('pending', 'running', 'success', 'failed', 'canceled')),
    trigger_type          text        NOT NULL CHECK (trigger_type IN ('manual', 'schedule', 'api')),
    trigger_source_type   text        NOT NULL DEFAULT 'user',
    trigger_source_id     text,
    skip_schedule_node    boolean     NOT NULL DEFAULT true,
    concurrency_key       text,
    idempotency_key       text,
    progress              smallint    NOT NULL DEFAULT 0 CHECK (progress BETWEEN 0 AND 100),
    error                 jsonb,
    -- The instance executing the run and until when; another instance may take over once it has expired.
    lease_owner           text,
    lease_expires_at      timestamptz,
    -- Last per-run event sequence handed out; bumped in the same statement that writes the event.
    event_seq             bigint      NOT NULL DEFAULT 0,
    canceled_by           text,
    canceled_at           timestamptz,
    created_at            timestamptz NOT NULL,
    updated_at            timestamptz NOT NULL,
    started_at            timestamptz,
    completed_at          timestamptz
);
-- Serves GET /automation/run/history (one automation of a tenant, keyset/offset by id, optional filters).
CREATE INDEX runs_history_idx ON runs (tenant_id, automation_id, id);
-- Serves history with _status filter: status is an equality, id stays the order.
CREATE INDEX runs_history_status_idx ON runs (tenant_id, automation_id, status, id);
-- Serves history with _triggeredBy (and _triggeredBy + _status) filters.
CREATE INDEX runs_history_trigger_idx ON runs (tenant_id, automation_id, trigger_type, status, id);
-- Serves GET /automation-runs (a tenant's runs, newest first) and its status filter.
CREATE INDEX runs_tenant_idx ON runs (tenant_id, id);
CREATE INDEX runs_tenant_status_idx ON runs (tenant_id, status, id);
-- Serves the recovery sweep and GET /automation/run/active: only unfinished runs are indexed.
CREATE INDEX runs_unfinished_idx ON runs (lease_expires_at NULLS FIRST, id) WHERE status IN ('pending', 'running');
CREATE INDEX runs_active_tenant_idx ON runs (tenant_id, id) WHERE status IN ('pending', 'running');
-- At most one running run per concurrency key; queued runs wait as pending.
CREATE UNIQUE INDEX runs_concurrency_running_uq ON runs (tenant_id, concurrency_key)
    WHERE status = 'running' AND concurrency_key IS NOT NULL;
-- Serves the queue behind a concurrency key (oldest pending first).
CREATE INDEX runs_concurrency_pending_idx ON runs (tenant_id, concurrency_key, id)
    WHERE status = 'pending' AND concurrency_key IS NOT NULL;
-- The same Idempotency-Key always names the same run.
CREATE UNIQUE INDEX runs_idempotency_uq ON runs (tenant_id, idempotency_key) WHERE idempotency_key IS NOT NULL;

CREATE TABLE run_steps (
    id               uuid PRIMARY KEY,
    run_id           uuid        NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    position         integer     NOT NULL,
    step_key         text        NOT NULL,
    name             text        NOT NULL,
    type             text        NOT NULL,
    depends_on       jsonb       NOT NULL,
    config           jsonb       NOT NULL,
    status           text        NOT NULL CHECK (status IN ('pending', 'running', 'success', 'failed', 'canceled', 'skipped')),
    attempt          integer     NOT NULL DEFAULT 1,
    result           jsonb,
    result_truncated boolean     NOT NULL DEFAULT false,
    error            jsonb,
    decision_id      text,
    started_at       timestamptz,
    completed_at     timestamptz,
    UNIQUE (run_id, step_key)
);

-- Earlier attempts of retried (or resumed) steps, kept when the step is reset.
CREATE TABLE run_step_attempts (
    run_id           uuid        NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    step_key         text        NOT NULL,
    attempt          integer     NOT NULL,
    status           text        NOT NULL,
    result           jsonb,
    result_truncated boolean     NOT NULL,
    error            jsonb,
    decision_id      text,
    started_at       timestamptz,
    completed_at     timestamptz,
    archived_at      timestamptz NOT NULL,
    PRIMARY KEY (run_id, step_key, attempt)
);

-- Append-only: every state change of a run or step, numbered 1, 2, 3... per run, written in the same statement as
-- the change. The SSE streams (issue 6) replay from here by Last-Event-ID = seq.
CREATE TABLE run_events (
    run_id     uuid        NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    seq        bigint      NOT NULL,
    type       text        NOT NULL CHECK (type IN ('run', 'step')),
    step_key   text,
    status     text        NOT NULL,
    progress   smallint    NOT NULL,
    message    text,
    created_at timestamptz NOT NULL,
    PRIMARY KEY (run_id, seq)
);
