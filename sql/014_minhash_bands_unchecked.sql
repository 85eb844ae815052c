-- minhash_bands rows are derived from their article's signature and written only with it,
-- in one statement (scrapers/store/clusters.py save_signatures). Their foreign key was
-- checked for each of an article's 32 rows, about half of what saving them cost; the
-- signature keeps its own key to articles, and its bands now go with it: deleting a
-- signature (or, by its cascade, an article) deletes their bands, once per statement.
ALTER TABLE minhash_bands DROP CONSTRAINT minhash_bands_article_id_fkey;

CREATE FUNCTION minhash_bands_follow_signatures() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM minhash_bands b USING gone g WHERE b.article_id = g.article_id;
    RETURN NULL;
END
$$;

CREATE TRIGGER minhash_bands_follow_signatures AFTER DELETE ON minhash_signatures
    REFERENCING OLD TABLE AS gone FOR EACH STATEMENT
    EXECUTE FUNCTION minhash_bands_follow_signatures();
