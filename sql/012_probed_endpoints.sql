-- Probed discovery: a site file may give only slug, name, base URL and province; a probe
-- (scrapers.steps.probe) then finds its feeds, sitemaps and listings and its article URL
-- pattern, and the warehouse keeps what it found and why.
--
-- endpoints: origin says who named the endpoint ('hand': the site file, 'probed': a probe);
-- the pages and monthly sitemaps the walker reaches from an endpoint share its origin.
-- A probed endpoint keeps the evidence for it, when it was probed, and its definition as a
-- site file would write it (spec: kind, url, pagination, month_pattern). The endpoints of
-- the latest probe are those whose probed_at is the source's source_probes.probed_at; older
-- ones stay (their fetches and items are history) but are no longer walked.
ALTER TABLE endpoints
    ADD COLUMN origin    text NOT NULL DEFAULT 'hand' CHECK (origin IN ('hand', 'probed')),
    ADD COLUMN evidence  jsonb,
    ADD COLUMN probed_at timestamptz,
    ADD COLUMN spec      jsonb,
    ADD CONSTRAINT endpoints_probed_check
        CHECK (origin = 'hand' OR parent_id IS NOT NULL OR
               (spec IS NOT NULL AND probed_at IS NOT NULL));

CREATE FUNCTION endpoints_inherit_origin() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.parent_id IS NOT NULL THEN
        NEW.origin := (SELECT origin FROM endpoints WHERE id = NEW.parent_id);
    END IF;
    RETURN NEW;
END $$;

CREATE TRIGGER endpoints_inherit_origin BEFORE INSERT ON endpoints
    FOR EACH ROW EXECUTE FUNCTION endpoints_inherit_origin();

-- One row per probed source: the latest probe's outcome, the article URL pattern and the
-- listing rules it inferred, the robots.txt Crawl-delay, and the whole report (findings
-- with their evidence, the pattern's support and samples) for `provnews sites` and the UI.
CREATE TABLE source_probes (
    source_id           integer PRIMARY KEY REFERENCES sources (id) ON DELETE CASCADE,
    probed_at           timestamptz NOT NULL,
    outcome             text NOT NULL
                        CHECK (outcome IN ('found', 'nothing_found', 'blocked', 'unreachable')),
    reason              text,
    confidence          text CHECK (confidence IN ('high', 'medium', 'low')),
    article_url_pattern text,
    listing             jsonb,
    crawl_delay         real CHECK (crawl_delay >= 0),
    requests            integer NOT NULL DEFAULT 0 CHECK (requests >= 0),
    report              jsonb NOT NULL DEFAULT '{}',
    CHECK (outcome <> 'found' OR article_url_pattern IS NOT NULL)
);
