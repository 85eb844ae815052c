-- Discovery that remembers what it has read: the parsed items of every endpoint read, so a
-- backfill reuses them instead of asking the site again; when each endpoint was last parsed
-- (a monthly sitemap parsed after its month ended is complete); and, on a listing's first
-- page, the date ranges its walks have covered ([lo, hi] pairs: every article published in
-- a range was on the pages read, since a listing is newest first and read without gaps).
CREATE TABLE endpoint_items (
    endpoint_id bigint NOT NULL REFERENCES endpoints (id) ON DELETE CASCADE,
    url         text NOT NULL,
    found_url   text NOT NULL,
    hint        timestamptz,
    hint_kind   text CHECK (hint_kind IN ('published', 'lastmod')),
    first_seen  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (endpoint_id, url),
    CHECK ((hint IS NULL) = (hint_kind IS NULL))
);
CREATE INDEX endpoint_items_hint_idx ON endpoint_items (endpoint_id, hint);

ALTER TABLE endpoints
    DROP CONSTRAINT endpoints_coverage_check,
    DROP COLUMN covered_start,
    DROP COLUMN covered_end,
    ADD COLUMN parsed_at timestamptz,
    ADD COLUMN segments jsonb NOT NULL DEFAULT '[]';
