-- The text each article is mined in (scrapers/indicators/article_text.py): its lead, a blank
-- line, then its body; the body alone when the lead is empty or the body already begins with
-- it (compared in NFC), the lead alone when the body is empty. indicators.sentence_start/_end
-- and mention_start/_end index this text (0-based, end exclusive), so
--   substr(t.text, i.sentence_start + 1, i.sentence_end - i.sentence_start) = i.sentence
-- for i JOIN article_texts t USING (article_id), as long as the article is unchanged since
-- it was mined (article_topics.article_updated_at = articles.updated_at).
CREATE VIEW article_texts AS
SELECT a.id AS article_id,
       CASE WHEN COALESCE(a.lead, '') = '' THEN a.body
            WHEN COALESCE(a.body, '') = '' THEN a.lead
            WHEN starts_with(normalize(a.body, NFC), normalize(a.lead, NFC)) THEN a.body
            ELSE a.lead || E'\n\n' || a.body
       END AS text
FROM articles a;

-- sql/010 says the offsets index articles.body: so they did until extractor version 2 read
-- the lead too.
COMMENT ON VIEW article_texts IS
    'The text indicators are mined in: lead, blank line, body (scrapers/indicators/article_text.py)';
COMMENT ON COLUMN indicators.sentence_start IS
    'offset of the sentence in article_texts.text (0-based characters)';
COMMENT ON COLUMN indicators.sentence_end IS
    'end of the sentence in article_texts.text (exclusive)';
COMMENT ON COLUMN indicators.mention_start IS
    'offset of the figure itself in article_texts.text (0-based characters)';
COMMENT ON COLUMN indicators.mention_end IS
    'end of the figure itself in article_texts.text (exclusive)';
