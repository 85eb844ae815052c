-- Body bytes the fetch could not decode in the page's charset and showed as U+FFFD
-- (scrapers.http.decoding tolerates a few); the extract step flags such articles
-- 'decode_errors'.
ALTER TABLE pages ADD COLUMN decode_errors integer NOT NULL DEFAULT 0
    CHECK (decode_errors >= 0);
