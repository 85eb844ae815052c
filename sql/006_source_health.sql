-- For data engineers: one row per source with its frontier, articles and latest run.
CREATE VIEW source_health AS
SELECT s.slug,
       s.enabled,
       count(u.id) FILTER (WHERE u.state = 'new')                       AS urls_new,
       count(u.id) FILTER (WHERE u.state = 'fetched')                   AS urls_fetched,
       count(u.id) FILTER (WHERE u.state = 'failed')                    AS urls_failed,
       count(u.id) FILTER (WHERE u.state IN ('gone', 'skipped', 'duplicate')) AS urls_closed,
       (SELECT count(*) FROM articles a WHERE a.source_id = s.id)       AS articles,
       (SELECT count(*) FROM articles a WHERE a.source_id = s.id
           AND a.published_at IS NULL)                                  AS articles_without_date,
       (SELECT count(*) FROM articles a WHERE a.source_id = s.id
           AND 'body_incomplete' = ANY (a.flags))                       AS articles_body_incomplete,
       (SELECT max(a.published_at) FROM articles a WHERE a.source_id = s.id) AS newest_article,
       r.run_key                                                        AS last_run,
       r.status                                                         AS last_run_status,
       r.finished_at                                                    AS last_run_finished
FROM sources s
LEFT JOIN urls u ON u.source_id = s.id
LEFT JOIN LATERAL (SELECT run_key, status, finished_at FROM crawl_runs c
                   WHERE c.source_id = s.id ORDER BY c.started_at DESC LIMIT 1) r ON true
GROUP BY s.id, s.slug, s.enabled, r.run_key, r.status, r.finished_at;
