-- A person's search hit showed their login name in its snippet (the index
-- row's body was position + login name). People are shown by full name
-- only: the login name now finds the row through its folded words
-- (`SearchDoc::hidden_words`), which keep it, and the body is the position.
UPDATE search_docs SET body = COALESCE((SELECT u.position FROM users u WHERE u.id = search_docs.record_id), '') WHERE kind = 'user';
