-- What each endpoint's last parsed body covered, so a 304 can be trusted only for the
-- interval it was parsed for (a backfill of another range re-reads the endpoint).
ALTER TABLE endpoints
    ADD COLUMN covered_start timestamptz,
    ADD COLUMN covered_end   timestamptz,
    ADD COLUMN items_oldest  timestamptz,
    ADD COLUMN items_newest  timestamptz,
    ADD CONSTRAINT endpoints_coverage_check
        CHECK (covered_end IS NULL OR covered_start IS NULL OR covered_end >= covered_start);
