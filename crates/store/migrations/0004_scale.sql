-- Figures counted per subtree (home page now; reports and dashboards later)
-- read fostering items and replications by node: without these, a count at
-- national scale scanned 400,000 replications.
CREATE INDEX fostering_scope ON fostering_items (org_path, status, due_on);
CREATE INDEX replications_scope ON replications (org_path, id);
-- "Which TCCS has no approved model this year" asks per unit and year.
CREATE INDEX annual_models_org ON annual_models (org_id, year, status);
