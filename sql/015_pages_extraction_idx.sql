-- pages_extraction_idx (extractor_version, extracted_at) answers no query: the extract step
-- finds pending pages by source and url_id (a version condition with OR and IS DISTINCT FROM
-- cannot use it). Keeping it cost an index entry on each page marked read (every page, on
-- every extraction) and on each page stored: about a third of marking a page read.
DROP INDEX pages_extraction_idx;
