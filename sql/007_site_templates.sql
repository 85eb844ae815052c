-- Per-site templates learned from the site's own stored pages (`provnews sites learn`, the
-- weekly maintenance DAG, a run whose rules stopped matching): selectors with their
-- support, exclusions and lead prefixes in `selectors`, repeated text blocks in
-- `boilerplate`. A new version is stored only when what extraction reads changed
-- (`fingerprint`); at most one version per site is active, the one extraction applies.
CREATE TABLE site_templates (
    id              bigserial PRIMARY KEY,
    source_id       integer NOT NULL REFERENCES sources (id) ON DELETE CASCADE,
    version         integer NOT NULL CHECK (version >= 1),
    learned_at      timestamptz NOT NULL DEFAULT now(),
    pages_used      integer NOT NULL CHECK (pages_used >= 1),
    selectors       jsonb NOT NULL,
    boilerplate     jsonb NOT NULL DEFAULT '[]',
    fingerprint     text NOT NULL,
    active          boolean NOT NULL DEFAULT false,
    UNIQUE (source_id, version)
);
CREATE UNIQUE INDEX site_templates_one_active_idx ON site_templates (source_id) WHERE active;

-- Which path extracted an article is `extractor` (provnews-rules, provnews-template,
-- provnews-fallback); how far to trust it, in [0, 1]: 1 for hand rules, the template's
-- body support for a learned template, less for the generic path or an incomplete body.
ALTER TABLE articles ADD COLUMN extract_confidence real
    CHECK (extract_confidence BETWEEN 0 AND 1);
