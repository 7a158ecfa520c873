-- Commendation documents take their numbers from the per-term register
-- (document_numbers): the decision or tờ trình of an outcome, and the
-- biên bản of a council session, issued when the session closes. The
-- register guards uniqueness per term, so the per-year index goes.
DROP INDEX commendation_outcomes_number;
ALTER TABLE commendation_outcomes ADD COLUMN number_id BIGINT REFERENCES document_numbers(id);
ALTER TABLE council_sessions ADD COLUMN minutes_number TEXT;
