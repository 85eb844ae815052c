-- provnews warehouse: every table of ARCHITECTURE.md.
-- Times are timestamptz; text is stored NFC-normalised by the application.

CREATE TABLE provinces (
    code            text PRIMARY KEY CHECK (code ~ '^[a-z0-9-]+$'),
    name            text NOT NULL UNIQUE,
    kind            text NOT NULL CHECK (kind IN ('province', 'municipality')),
    is_current      boolean NOT NULL,           -- one of the 34 units since 2025-07-01
    in_pre_2025     boolean NOT NULL,           -- one of the 63 units before 2025-07-01
    successor_code  text REFERENCES provinces (code),
    aliases         text[] NOT NULL DEFAULT '{}',
    CHECK (is_current OR in_pre_2025),
    CHECK (is_current OR successor_code IS NOT NULL)
);

CREATE TABLE sources (
    id              serial PRIMARY KEY,
    slug            text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9_]+$'),
    name            text NOT NULL,
    base_url        text NOT NULL CHECK (base_url ~ '^https?://'),
    province_code   text REFERENCES provinces (code),
    kind            text NOT NULL CHECK (kind IN ('provincial', 'national', 'aggregator')),
    cms             text,
    enabled         boolean NOT NULL DEFAULT true,
    min_delay_s     real NOT NULL DEFAULT 1.0 CHECK (min_delay_s >= 0),
    config          jsonb NOT NULL,
    config_sha256   text NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    CHECK (kind <> 'provincial' OR province_code IS NOT NULL)
);

CREATE TABLE endpoints (
    id              bigserial PRIMARY KEY,
    source_id       integer NOT NULL REFERENCES sources (id) ON DELETE CASCADE,
    kind            text NOT NULL
                    CHECK (kind IN ('feed', 'sitemap_index', 'sitemap', 'news_sitemap', 'listing')),
    url             text NOT NULL,
    parent_id       bigint REFERENCES endpoints (id) ON DELETE CASCADE,
    etag            text,
    last_modified   text,
    body_sha256     text,
    lastmod         timestamptz,                -- from the parent sitemap index
    last_status     integer,
    last_polled_at  timestamptz,
    next_poll_at    timestamptz,
    poll_interval_s integer NOT NULL DEFAULT 3600 CHECK (poll_interval_s > 0),
    unchanged_polls integer NOT NULL DEFAULT 0,
    UNIQUE (source_id, url)
);

CREATE TABLE crawl_runs (
    id              bigserial PRIMARY KEY,
    source_id       integer NOT NULL REFERENCES sources (id) ON DELETE CASCADE,
    run_key         text NOT NULL,
    trigger         text NOT NULL DEFAULT 'cli' CHECK (trigger IN ('cli', 'airflow', 'backfill')),
    interval_start  timestamptz,
    interval_end    timestamptz,
    started_at      timestamptz NOT NULL DEFAULT now(),
    finished_at     timestamptz,
    status          text NOT NULL DEFAULT 'running'
                    CHECK (status IN ('running', 'success', 'partial', 'failed')),
    counts          jsonb NOT NULL DEFAULT '{}',
    error           text,
    UNIQUE (source_id, run_key),
    CHECK (interval_end IS NULL OR interval_start IS NULL OR interval_end > interval_start)
);

CREATE TABLE urls (
    id              bigserial PRIMARY KEY,
    source_id       integer NOT NULL REFERENCES sources (id) ON DELETE CASCADE,
    url             text NOT NULL UNIQUE,       -- canonical
    first_seen_at   timestamptz NOT NULL DEFAULT now(),
    endpoint_id     bigint REFERENCES endpoints (id) ON DELETE SET NULL,
    published_hint  timestamptz,
    lastmod_hint    timestamptz,
    state           text NOT NULL DEFAULT 'new'
                    CHECK (state IN ('new', 'fetched', 'failed', 'skipped', 'gone')),
    attempts        integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    next_try_at     timestamptz NOT NULL DEFAULT now(),
    last_fetched_at timestamptz,
    last_error_kind text,
    last_error      text
);
CREATE INDEX urls_state_next_try_idx ON urls (state, next_try_at);
CREATE INDEX urls_source_state_next_try_idx ON urls (source_id, state, next_try_at);
CREATE INDEX urls_source_published_idx ON urls (source_id, published_hint);

-- Every spelling of a URL seen (tracking parameters, mobile, AMP, redirects) -> canonical.
CREATE TABLE url_variants (
    variant         text PRIMARY KEY,
    url_id          bigint NOT NULL REFERENCES urls (id) ON DELETE CASCADE,
    reason          text NOT NULL
                    CHECK (reason IN ('as_found', 'canonicalised', 'redirect', 'rel_canonical')),
    first_seen_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX url_variants_url_idx ON url_variants (url_id);

CREATE TABLE fetches (
    id              bigserial PRIMARY KEY,
    source_id       integer REFERENCES sources (id) ON DELETE CASCADE,
    url_id          bigint REFERENCES urls (id) ON DELETE CASCADE,
    endpoint_id     bigint REFERENCES endpoints (id) ON DELETE CASCADE,
    run_id          bigint REFERENCES crawl_runs (id) ON DELETE SET NULL,
    requested_url   text NOT NULL,
    final_url       text,
    fetched_at      timestamptz NOT NULL DEFAULT now(),
    status          integer,
    bytes           integer CHECK (bytes >= 0),
    elapsed_ms      integer CHECK (elapsed_ms >= 0),
    attempts        integer NOT NULL DEFAULT 1 CHECK (attempts >= 1),
    outcome         text NOT NULL CHECK (outcome IN ('ok', 'not_modified', 'error', 'skipped')),
    error_kind      text CHECK (error_kind IN (
                        'timeout', 'connection', 'too_large', 'http_4xx', 'http_5xx', 'robots',
                        'redirect_loop', 'bad_scheme', 'blocked_address', 'decode', 'truncated')),
    error           text,
    CHECK ((outcome = 'error') = (error_kind IS NOT NULL) OR outcome = 'skipped')
);
CREATE INDEX fetches_url_idx ON fetches (url_id);
CREATE INDEX fetches_source_time_idx ON fetches (source_id, fetched_at);

-- The latest body per URL, UTF-8 text compressed with zlib.
CREATE TABLE pages (
    url_id          bigint PRIMARY KEY REFERENCES urls (id) ON DELETE CASCADE,
    fetch_id        bigint REFERENCES fetches (id) ON DELETE SET NULL,
    final_url       text NOT NULL,
    status          integer NOT NULL,
    content_type    text,
    encoding        text,
    body_z          bytea NOT NULL,
    body_sha256     text NOT NULL,
    etag            text,
    last_modified   text,
    fetched_at      timestamptz NOT NULL,
    extracted_at    timestamptz,
    extractor_version text
);
CREATE INDEX pages_extraction_idx ON pages (extractor_version, extracted_at);

CREATE TABLE clusters (
    id              bigserial PRIMARY KEY,
    canonical_article_id bigint,
    size            integer NOT NULL DEFAULT 1 CHECK (size >= 1),
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE articles (
    id              bigserial PRIMARY KEY,
    url_id          bigint NOT NULL UNIQUE REFERENCES urls (id) ON DELETE CASCADE,
    source_id       integer NOT NULL REFERENCES sources (id) ON DELETE CASCADE,
    url             text NOT NULL UNIQUE,
    canonical_url   text,                       -- rel=canonical as the page states it
    title           text NOT NULL,
    lead            text,
    body            text NOT NULL,
    author          text,
    published_at    timestamptz,
    published_day   date,                       -- local (Asia/Ho_Chi_Minh) day of published_at
    modified_at     timestamptz,
    date_source     text CHECK (date_source IN ('jsonld', 'meta', 'visible', 'feed', 'url')),
    category        text,
    tags            text[] NOT NULL DEFAULT '{}',
    language        text,
    province_code   text REFERENCES provinces (code),
    images          jsonb NOT NULL DEFAULT '[]',
    word_count      integer NOT NULL CHECK (word_count >= 0),
    body_sha256     text NOT NULL,
    title_key       text,
    extractor       text NOT NULL,
    extractor_version text NOT NULL,
    flags           text[] NOT NULL DEFAULT '{}',
    cluster_id      bigint REFERENCES clusters (id) ON DELETE SET NULL,
    dup_kind        text CHECK (dup_kind IN ('canonical', 'url', 'exact', 'near', 'title')),
    dup_of          bigint REFERENCES articles (id) ON DELETE SET NULL,
    dup_score       real,
    first_loaded_at timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    deduped_at      timestamptz
);
CREATE INDEX articles_source_published_idx ON articles (source_id, published_at);
CREATE INDEX articles_published_idx ON articles (published_at);
CREATE INDEX articles_body_sha_idx ON articles (body_sha256);
CREATE INDEX articles_cluster_idx ON articles (cluster_id);
CREATE INDEX articles_title_key_idx ON articles (source_id, title_key, published_day);
CREATE INDEX articles_dedupe_queue_idx ON articles (id) WHERE deduped_at IS NULL;

ALTER TABLE clusters ADD CONSTRAINT clusters_canonical_fk
    FOREIGN KEY (canonical_article_id) REFERENCES articles (id) ON DELETE SET NULL;

CREATE TABLE article_versions (
    id              bigserial PRIMARY KEY,
    article_id      bigint NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    title           text NOT NULL,
    lead            text,
    body            text NOT NULL,
    body_sha256     text NOT NULL,
    extractor_version text,
    valid_until     timestamptz NOT NULL DEFAULT now(),
    UNIQUE (article_id, body_sha256)
);

-- MinHash-LSH: one row per (band, bucket) an article falls in; lookups are plain SQL.
CREATE TABLE minhash_bands (
    band            smallint NOT NULL,
    bucket          bigint NOT NULL,
    article_id      bigint NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    PRIMARY KEY (band, bucket, article_id)
);
CREATE INDEX minhash_bands_article_idx ON minhash_bands (article_id);

CREATE TABLE minhash_signatures (
    article_id      bigint PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE,
    body_sha256     text NOT NULL,
    signature       bigint[] NOT NULL
);
