-- For analysts: one row per story (cluster), through its canonical article (published first).
CREATE VIEW articles_clean AS
SELECT c.id                                         AS cluster_id,
       a.id                                         AS article_id,
       s.slug                                       AS source,
       s.name                                       AS source_name,
       COALESCE(a.province_code, s.province_code)   AS province_code,
       p.name                                       AS province,
       a.url,
       a.published_at,
       a.published_day,
       a.title,
       a.lead,
       a.body,
       a.author,
       a.category,
       a.tags,
       a.word_count,
       a.flags,
       c.size                                       AS copies,
       (SELECT array_agg(DISTINCT s2.slug ORDER BY s2.slug)
          FROM articles a2 JOIN sources s2 ON s2.id = a2.source_id
         WHERE a2.cluster_id = c.id)                AS copy_sources
FROM clusters c
JOIN articles a ON a.id = c.canonical_article_id
JOIN sources s ON s.id = a.source_id
LEFT JOIN provinces p ON p.code = COALESCE(a.province_code, s.province_code);
