-- Why a stored page gave no article (cleared when a later extractor succeeds).
ALTER TABLE pages ADD COLUMN extract_error text;
