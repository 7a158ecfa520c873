-- The decision a step records (a recognition, a level granted): its number
-- and symbol and its date, which are not when the step was typed in.
-- Empty on the steps taken before; required by the domain for new
-- recognitions and raised levels.
ALTER TABLE exemplar_steps ADD COLUMN decision_no TEXT;
ALTER TABLE exemplar_steps ADD COLUMN decided_on TEXT;
