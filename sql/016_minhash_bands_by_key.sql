-- minhash_bands_article_idx answered one query: sql/014's deletion of a signature's bands.
-- It cost an index entry for each of an article's 32 band rows, about a quarter of writing
-- them, and 7% of the table's size with its indexes. A signature now keeps its buckets, in band order
-- (element n is band n - 1's), and its bands are found through the primary key.
ALTER TABLE minhash_signatures ADD COLUMN buckets bigint[];
UPDATE minhash_signatures s SET buckets = b.buckets
  FROM (SELECT article_id, array_agg(bucket ORDER BY band) AS buckets
          FROM minhash_bands GROUP BY article_id) b
 WHERE b.article_id = s.article_id;
UPDATE minhash_signatures SET buckets = '{}' WHERE buckets IS NULL;
ALTER TABLE minhash_signatures ALTER COLUMN buckets SET NOT NULL;

CREATE OR REPLACE FUNCTION minhash_bands_follow_signatures() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM minhash_bands b
     USING gone g CROSS JOIN LATERAL unnest(g.buckets) WITH ORDINALITY AS k(bucket, n)
     WHERE b.band = k.n - 1 AND b.bucket = k.bucket AND b.article_id = g.article_id;
    RETURN NULL;
END
$$;

DROP INDEX minhash_bands_article_idx;
