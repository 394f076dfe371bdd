-- LIKEPION schema: one model shared by worker-service (Worker/Tasks API) and assign-service (Assign API, dispatcher).
-- A "task" of the Worker API is a "link" of the Assign API: same row, same id.
-- Ids are UUIDv7 minted by the services (time-ordered, so `after=<id>` cursors are index range scans).
-- Migration ranges: worker-service V10-V19, assign-service V20-V29, gateway V30-V39.

-- Servers of a fleet: tool servers that run links, and assign servers that call the Assign API.
CREATE TABLE servers (
    id              uuid PRIMARY KEY,
    name            text        NOT NULL UNIQUE,
    ip              text,
    service         text        NOT NULL DEFAULT 'tool' CHECK (service IN ('tool', 'assign')),
    -- which link service types a tool server takes; empty means all of them
    service_types   text[]      NOT NULL DEFAULT '{}',
    status          text        NOT NULL DEFAULT 'online'
                    CHECK (status IN ('online', 'active', 'offline', 'maintenance', 'inactive')),
    -- hex SHA-256 of the API key; the key itself is shown once at registration and never stored
    api_key_hash    text        NOT NULL UNIQUE,
    max_threads     integer     NOT NULL DEFAULT 10 CHECK (max_threads >= 0),
    priority        integer     NOT NULL DEFAULT 0,
    -- links currently queued or running on this server, kept by the dispatcher in the same transaction as the link
    active_tasks    integer     NOT NULL DEFAULT 0 CHECK (active_tasks >= 0),
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now()
);

-- What a server last reported in its heartbeat. Kept apart from `servers` so that frequent heartbeats rewrite one
-- narrow row without indexes other than its key: updates stay HOT (fillfactor leaves room on the page) and never
-- bloat `servers` or `links`.
CREATE TABLE server_health (
    server_id          uuid PRIMARY KEY REFERENCES servers (id) ON DELETE CASCADE,
    reported_name      text,
    ip                 text,
    cpu_usage          real,
    ram_usage          real,
    disk_usage         real,
    active_threads     integer     NOT NULL DEFAULT 0,
    active_tasks       integer     NOT NULL DEFAULT 0,
    last_health_check  timestamptz,
    last_active        timestamptz
) WITH (fillfactor = 50);

-- Sites on which links create profiles or posts; `type` is the service type they serve.
CREATE TABLE sites (
    id          uuid PRIMARY KEY,
    name        text        NOT NULL,
    type        text        NOT NULL CHECK (type IN ('entity', 'social', 'blog20', 'podcast', 'stacking', 'indexing')),
    active      boolean     NOT NULL DEFAULT true,
    config      jsonb,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now()
);
-- GET /sites?type=&active=  and the dispatcher's "active sites of a service type"
CREATE INDEX sites_type_active_idx ON sites (type, active);

-- Posting accounts, grouped; a request draws its accounts from its group. The password is sensitive: never logged.
CREATE TABLE accounts (
    id          uuid PRIMARY KEY,
    group_id    uuid        NOT NULL,
    email       text        NOT NULL,
    username    text,
    password    text,
    about       text,
    status      text        NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'inactive', 'banned', 'locked')),
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now()
);
-- GET /accounts?group_id=&status=  and link generation (accounts of a request's group)
CREATE INDEX accounts_group_status_idx ON accounts (group_id, status);
CREATE INDEX accounts_email_idx ON accounts (email);

-- Key/value settings by group, e.g. rate_limit: max_posts_per_day, cooldown_minutes.
CREATE TABLE settings (
    "group"     text        NOT NULL,
    key         text        NOT NULL,
    value       text        NOT NULL,
    updated_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY ("group", key)
);

-- Requests (campaigns): a target number of links of one service type for one website.
CREATE TABLE requests (
    id             uuid PRIMARY KEY,
    user_id        uuid,
    service_type   text        NOT NULL CHECK (service_type IN ('entity', 'social', 'blog20', 'podcast', 'stacking', 'indexing')),
    group_id       uuid,
    name           text        NOT NULL,
    website        text,
    auction_price  numeric(12, 2) NOT NULL DEFAULT 0,
    target         integer     NOT NULL DEFAULT 0 CHECK (target >= 0),
    created_links  integer     NOT NULL DEFAULT 0 CHECK (created_links >= 0),
    status         text        NOT NULL DEFAULT 'pending'
                   CHECK (status IN ('pending', 'running', 'connecting', 'completed', 'failed', 'canceled')),
    type_request   text        NOT NULL DEFAULT 'normal',
    priority       integer     NOT NULL DEFAULT 0,
    config         jsonb,
    data           jsonb,
    folder_urls    jsonb,
    started_at     timestamptz,
    completed_at   timestamptz,
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now()
);
-- GET /requests?status=&service_type=  and the dispatcher's "running requests" scan
CREATE INDEX requests_status_service_idx ON requests (status, service_type, priority DESC);

-- Links (tasks): one profile/post to create on one site with one account, for one request.
CREATE TABLE links (
    id             uuid PRIMARY KEY,
    request_id     uuid        NOT NULL REFERENCES requests (id) ON DELETE CASCADE,
    service_type   text        NOT NULL CHECK (service_type IN ('entity', 'social', 'blog20', 'podcast', 'stacking', 'indexing')),
    server_id      uuid        REFERENCES servers (id) ON DELETE SET NULL,
    site_id        uuid        REFERENCES sites (id) ON DELETE SET NULL,
    site_name      text,
    account_id     uuid        REFERENCES accounts (id) ON DELETE SET NULL,
    email          text,
    username       text,
    password       text,
    about          text,
    link_profile   text        NOT NULL DEFAULT '',
    link_post      text        NOT NULL DEFAULT '',
    status         text        NOT NULL DEFAULT 'pending'
                   CHECK (status IN ('pending', 'queued', 'running', 'connect', 'connecting', 'completed', 'failed', 'canceled')),
    retry_count    integer     NOT NULL DEFAULT 0 CHECK (retry_count >= 0),
    max_retries    integer     NOT NULL DEFAULT 3 CHECK (max_retries >= 0),
    -- fencing: bumped every time the link is (re)assigned; a write from an earlier owner no longer matches
    attempt        integer     NOT NULL DEFAULT 0,
    details        jsonb,
    error_message  text,
    note           text,
    is_indexed     boolean     NOT NULL DEFAULT false,
    -- set when a failed link is retried with back-off: the dispatcher leaves it alone until then
    next_attempt_at timestamptz,
    assigned_at    timestamptz,
    started_at     timestamptz,
    completed_at   timestamptz,
    -- true once this link has added 1 to its request's created_links, so a repeated completion never counts twice
    counted        boolean     NOT NULL DEFAULT false,
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now()
);
-- GET /tasks (a server's tasks by status, offset pages and `after=<id>` cursor pages in id order)
CREATE INDEX links_server_status_id_idx ON links (server_id, status, id);
-- the dispatcher's pending scan (per service type, then per request for fair round-robin) and GET /links?status=pending
CREATE INDEX links_pending_idx ON links (service_type, request_id, id) WHERE status = 'pending';
-- stale scans: running/connecting links older than a timeout (GET /links?stale=true, the dispatcher's reclaimer)
CREATE INDEX links_active_started_idx ON links (started_at) WHERE status IN ('running', 'connecting');
-- GET /links/retryable and the dispatcher's retry sweep
CREATE INDEX links_failed_idx ON links (service_type, id) WHERE status = 'failed';
-- per-request scans: connect phase, mark-final-failed, links/count fallbacks
CREATE INDEX links_request_status_idx ON links (request_id, status);
-- per-account daily counts and cooldowns (GET /links/account-stats, the dispatcher's posting limits)
CREATE INDEX links_email_completed_idx ON links (email, completed_at) WHERE status = 'completed';
CREATE INDEX links_account_assigned_idx ON links (account_id, assigned_at);

-- Per-request link counts by status, kept by the triggers below in the same transaction as every link change, so
-- "how many links of this request are pending/running/…" never scans links.
CREATE TABLE request_link_counts (
    request_id  uuid    NOT NULL REFERENCES requests (id) ON DELETE CASCADE,
    status      text    NOT NULL,
    count       bigint  NOT NULL DEFAULT 0,
    PRIMARY KEY (request_id, status)
);

-- Statement-level: one aggregated delta per (request, status), applied in key order, so concurrent statements lock
-- counter rows in the same order and cannot deadlock each other.
CREATE FUNCTION links_count_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO request_link_counts AS c (request_id, status, count)
    SELECT request_id, status, count(*) FROM new_links GROUP BY request_id, status ORDER BY request_id, status
    ON CONFLICT (request_id, status) DO UPDATE SET count = c.count + EXCLUDED.count;
    RETURN NULL;
END $$;

CREATE FUNCTION links_count_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO request_link_counts AS c (request_id, status, count)
    SELECT request_id, status, sum(delta) FROM (
        SELECT o.request_id, o.status, -1 AS delta FROM old_links o
        UNION ALL
        SELECT n.request_id, n.status, 1 AS delta FROM new_links n
    ) d
    GROUP BY request_id, status HAVING sum(delta) <> 0 ORDER BY request_id, status
    ON CONFLICT (request_id, status) DO UPDATE SET count = c.count + EXCLUDED.count;
    RETURN NULL;
END $$;

CREATE FUNCTION links_count_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE request_link_counts c SET count = c.count - d.n
    FROM (SELECT request_id, status, count(*) AS n FROM old_links GROUP BY request_id, status
          ORDER BY request_id, status) d
    WHERE c.request_id = d.request_id AND c.status = d.status;
    RETURN NULL;
END $$;

CREATE TRIGGER links_count_insert AFTER INSERT ON links
    REFERENCING NEW TABLE AS new_links FOR EACH STATEMENT EXECUTE FUNCTION links_count_insert();
CREATE TRIGGER links_count_update AFTER UPDATE ON links
    REFERENCING OLD TABLE AS old_links NEW TABLE AS new_links FOR EACH STATEMENT EXECUTE FUNCTION links_count_update();
CREATE TRIGGER links_count_delete AFTER DELETE ON links
    REFERENCING OLD TABLE AS old_links FOR EACH STATEMENT EXECUTE FUNCTION links_count_delete();

-- Logs sent by worker servers. Append-only and unbounded: a purge job deletes rows older than the configured
-- retention in small batches; BRIN on created_at makes the age scan cheap at any size.
CREATE TABLE worker_logs (
    id          uuid PRIMARY KEY,
    server_id   uuid        NOT NULL REFERENCES servers (id) ON DELETE CASCADE,
    level       text        NOT NULL CHECK (level IN ('INFO', 'WARN', 'ERROR', 'DEBUG')),
    message     text        NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now()
);
-- retention purge (created_at < now() - retention)
CREATE INDEX worker_logs_created_brin ON worker_logs USING brin (created_at);
-- reading one server's recent logs
CREATE INDEX worker_logs_server_idx ON worker_logs (server_id, id);
