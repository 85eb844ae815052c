-- A fetched page whose rel=canonical names another, already known URL of the same site.
ALTER TABLE urls DROP CONSTRAINT urls_state_check;
ALTER TABLE urls ADD CONSTRAINT urls_state_check
    CHECK (state IN ('new', 'fetched', 'failed', 'skipped', 'gone', 'duplicate'));
