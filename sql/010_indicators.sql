-- Indicators mined from article text (scrapers/steps/indicators.py) and the views analysts read.

-- One row per article the indicator step has read: its topic tags (empty: on none of the
-- topics, so not mined), the extractor version that read it and the articles.updated_at of
-- the text it read. The step reads an article again when that updated_at differs (compared
-- for equality, not with mined_at, so an update committed while a batch ran is not missed)
-- or another extractor version read it.
CREATE TABLE article_topics (
    article_id          bigint PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE,
    topics              text[] NOT NULL
                        CHECK (topics <@ ARRAY['collective_economy', 'women', 'ocop',
                                               'jobs_income']::text[]),
    extractor_version   text NOT NULL,
    article_updated_at  timestamptz NOT NULL,
    mined_at            timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX article_topics_topics_idx ON article_topics USING gin (topics);

-- One row per figure of an article. Offsets index articles.body (characters, 0-based, end
-- exclusive): the sentence, and within it the figure itself ("hơn 1,2 tỷ đồng").
CREATE TABLE indicators (
    id                  bigserial PRIMARY KEY,
    article_id          bigint NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    province_code       text REFERENCES provinces (code),   -- the source's, else the text's
    text_province_code  text REFERENCES provinces (code),   -- the province the text names
    text_province_successor_code text REFERENCES provinces (code),  -- its unit since 2025-07-01
    subject             text NOT NULL CHECK (subject IN (
                            'cooperatives', 'cooperative_groups', 'cooperative_unions',
                            'members', 'board_members', 'workers', 'jobs',
                            'training_participants', 'income', 'revenue', 'support_value',
                            'ocop_products', 'share')),
    women               boolean NOT NULL,
    new                 boolean NOT NULL,
    ocop                boolean NOT NULL,
    ocop_stars          smallint CHECK (ocop_stars BETWEEN 1 AND 5),
    ethnic_minority     boolean NOT NULL,
    value_chain         boolean NOT NULL,
    share_of            text,
    value               numeric,
    low                 numeric,
    high                numeric,
    total               bigint,
    unit                text NOT NULL,
    approx              text NOT NULL CHECK (approx IN (
                            'none', 'more_than', 'at_least', 'at_most', 'nearly', 'about',
                            'tens', 'hundreds', 'thousands')),
    qualifier           text NOT NULL CHECK (qualifier IN ('actual', 'target', 'change')),
    target_year         smallint,
    change_period       text,
    as_of               date NOT NULL,
    sentence            text NOT NULL,
    sentence_start      integer NOT NULL,
    sentence_end        integer NOT NULL,
    mention_start       integer NOT NULL,
    mention_end         integer NOT NULL,
    extractor_version   text NOT NULL,
    extracted_at        timestamptz NOT NULL DEFAULT now(),
    UNIQUE (article_id, mention_start, subject),
    CHECK ((low IS NULL) = (high IS NULL) AND (value IS NULL OR low IS NULL)),
    CHECK (0 <= sentence_start AND sentence_start <= mention_start
           AND mention_start < mention_end AND mention_end <= sentence_end),
    CHECK (char_length(sentence) = sentence_end - sentence_start)
);

-- For analysts: the indicators of canonical articles only (the copy of a story published
-- first, or an article in no cluster), so a story syndicated to several sites counts once.
-- province_code is the unit since 1 July 2025, so merged provinces roll up;
-- reported_province_code is the one the source or the text gave.
CREATE VIEW indicators_clean AS
SELECT i.id,
       i.article_id,
       a.cluster_id,
       COALESCE(p.successor_code, i.province_code)   AS province_code,
       cp.name                                       AS province,
       i.province_code                               AS reported_province_code,
       i.text_province_code,
       i.text_province_successor_code,
       i.subject, i.women, i.new, i.ocop, i.ocop_stars, i.ethnic_minority, i.value_chain,
       i.share_of,
       i.value, i.low, i.high, i.total, i.unit, i.approx, i.qualifier, i.target_year,
       i.change_period, i.as_of,
       substr(i.sentence, i.mention_start - i.sentence_start + 1,
              i.mention_end - i.mention_start)       AS mention,
       i.sentence, i.sentence_start, i.sentence_end, i.mention_start, i.mention_end,
       i.extractor_version,
       s.slug                                        AS source,
       a.url,
       a.title,
       a.published_at
FROM indicators i
JOIN articles a ON a.id = i.article_id
JOIN sources s ON s.id = a.source_id
LEFT JOIN clusters c ON c.id = a.cluster_id
LEFT JOIN provinces p ON p.code = i.province_code
LEFT JOIN provinces cp ON cp.code = COALESCE(p.successor_code, i.province_code)
WHERE a.cluster_id IS NULL OR c.canonical_article_id = a.id;

-- (a) Per current province, year of the figure (as_of) and subject: how many figures,
-- from how many stories, by qualifier; the pre-2025 provinces that rolled up into it.
CREATE VIEW indicators_by_province_year AS
SELECT province_code,
       province,
       COALESCE(array_agg(DISTINCT reported_province_code)
                FILTER (WHERE reported_province_code IS NOT NULL), '{}') AS reported_province_codes,
       CAST(EXTRACT(year FROM as_of) AS integer)     AS year,
       subject,
       count(*)                                      AS indicators,
       count(DISTINCT article_id)                    AS articles,
       count(*) FILTER (WHERE qualifier = 'actual')  AS actual,
       count(*) FILTER (WHERE qualifier = 'target')  AS target,
       count(*) FILTER (WHERE qualifier = 'change')  AS change,
       count(*) FILTER (WHERE women)                 AS women
FROM indicators_clean
GROUP BY province_code, province, CAST(EXTRACT(year FROM as_of) AS integer), subject;

-- (b) The latest figure of each series per current province: a series is a subject with its
-- attributes, qualifier, unit and target year (a 2030 goal is not a level reached, and VND a
-- month is not VND a year). Latest: the most recent as_of, then the latest publication.
CREATE VIEW indicators_latest AS
SELECT DISTINCT ON (province_code, subject, women, new, ocop, ocop_stars, ethnic_minority,
                    value_chain, share_of, qualifier, unit, target_year)
       province_code, province, reported_province_code,
       subject, women, new, ocop, ocop_stars, ethnic_minority, value_chain, share_of,
       qualifier, unit, target_year,
       value, low, high, total, approx, change_period, as_of, mention, sentence,
       article_id, source, url, title, published_at
FROM indicators_clean
ORDER BY province_code, subject, women, new, ocop, ocop_stars, ethnic_minority, value_chain,
         share_of, qualifier, unit, target_year,
         as_of DESC, published_at DESC NULLS LAST, article_id DESC, mention_start;
