-- Lists in an order other than their scope's (issue 23). Each sort has an
-- index led by its key and id, the order the list reads, with the scope
-- column after them: a page of a large subtree reads the index in order
-- from the cursor (a row-value seek, `(key, id) > (k, i)`) and checks the
-- subtree from the index entry itself, stopping after one page. Small
-- subtrees keep reading their scope index and sorting its few rows; the
-- planner chooses by the statistics (`ANALYZE` after bulk loads).
CREATE INDEX exemplars_name ON exemplars (sort_key, id, org_path);
CREATE INDEX exemplars_found ON exemplars (year_found, id, org_path);
-- The stage order ranks the status in the plan's order; the expression is
-- `store::page::rank_sql::<exemplar::Status>("status")` letter for letter
-- (a test compares them), so that both planners match it.
CREATE INDEX exemplars_stage ON exemplars ((CASE status WHEN 'phat_hien' THEN '0' WHEN 'boi_duong' THEN '1' WHEN 'cong_nhan' THEN '2' WHEN 'nhan_rong' THEN '3' WHEN 'dung' THEN '4' ELSE '9' END), id, org_path);
CREATE INDEX orgs_name ON orgs (sort_key, id, path);
CREATE INDEX users_name ON users (sort_key, id, org_path);
CREATE INDEX plans_issued ON plans (issued_on, id, org_path);
CREATE INDEX propaganda_items_published ON propaganda_items (published_on, id, org_path);
CREATE INDEX stories_stage ON stories ((CASE status WHEN 'nhap' THEN '0' WHEN 'cho_duyet' THEN '1' WHEN 'tra_lai' THEN '2' WHEN 'hen_dang' THEN '3' WHEN 'da_dang' THEN '4' WHEN 'da_go' THEN '5' ELSE '9' END), id, org_path);
