-- Health alerts per site, such as layout drift after a redesign: opened by the run that saw
-- the problem, closed by the first later run that is healthy again. At most one open alert
-- per site and kind; a later run that still sees it updates the open one.
CREATE TABLE alerts (
    id              bigserial PRIMARY KEY,
    source_id       integer NOT NULL REFERENCES sources (id) ON DELETE CASCADE,
    run_id          bigint REFERENCES crawl_runs (id) ON DELETE SET NULL,  -- the latest run that saw it
    kind            text NOT NULL CHECK (kind ~ '^[a-z_]+$'),
    message         text NOT NULL,
    details         jsonb NOT NULL DEFAULT '{}',
    opened_at       timestamptz NOT NULL DEFAULT now(),
    closed_at       timestamptz,
    closed_by_run_id bigint REFERENCES crawl_runs (id) ON DELETE SET NULL,
    CHECK (closed_at IS NULL OR closed_at >= opened_at)
);
CREATE UNIQUE INDEX alerts_one_open_idx ON alerts (source_id, kind) WHERE closed_at IS NULL;
CREATE INDEX alerts_source_opened_idx ON alerts (source_id, opened_at);
