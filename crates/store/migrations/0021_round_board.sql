-- A round's board pages its nominations by unit (org path, then id) within
-- the caller's subtrees: one index answers the round, the scope range and
-- the order together, so a page reads its rows and no more (a province
-- round holds hundreds of dossiers).
CREATE INDEX nominations_board ON nominations (round_id, org_path, id);
