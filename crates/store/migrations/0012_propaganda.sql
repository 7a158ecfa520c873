-- The propaganda log (plan II.3, IV.2): what a unit published about the
-- exemplars, where and when, and which exemplars it featured.
CREATE TABLE propaganda_items (
    id {pk},
    org_id BIGINT NOT NULL REFERENCES orgs(id),
    org_path TEXT NOT NULL,
    item_type TEXT NOT NULL,
    channel TEXT NOT NULL,
    title TEXT NOT NULL,
    link TEXT NOT NULL DEFAULT '',
    published_on TEXT NOT NULL,
    year BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    version BIGINT NOT NULL DEFAULT 1
);
-- The list: a subtree, newest first (keyset on published_on, id).
CREATE INDEX propaganda_items_scope ON propaganda_items (org_path, published_on, id);
-- The figures: a year's items of a subtree, per unit, channel and type.
CREATE INDEX propaganda_items_year ON propaganda_items (year, org_path, org_id, channel, item_type);

CREATE TABLE propaganda_exemplars (
    item_id BIGINT NOT NULL REFERENCES propaganda_items(id),
    exemplar_id BIGINT NOT NULL REFERENCES exemplars(id),
    PRIMARY KEY (item_id, exemplar_id)
);
CREATE INDEX propaganda_exemplars_exemplar ON propaganda_exemplars (exemplar_id, item_id);

-- Stories for the public portal, with their editorial state.
CREATE TABLE stories (
    id {pk},
    org_id BIGINT NOT NULL REFERENCES orgs(id),
    org_path TEXT NOT NULL,
    title TEXT NOT NULL,
    summary TEXT NOT NULL DEFAULT '',
    body TEXT NOT NULL,
    status TEXT NOT NULL,
    facts_match BIGINT NOT NULL DEFAULT 0,
    no_exaggeration BIGINT NOT NULL DEFAULT 0,
    consent BIGINT NOT NULL DEFAULT 0,
    images_allowed BIGINT NOT NULL DEFAULT 0,
    review_note TEXT NOT NULL DEFAULT '',
    unpublish_reason TEXT NOT NULL DEFAULT '',
    publish_at BIGINT,
    published_at BIGINT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    version BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX stories_scope ON stories (org_path, id);
-- The publishing job: scheduled stories by the time they are due.
CREATE INDEX stories_due ON stories (status, publish_at);

CREATE TABLE story_exemplars (
    story_id BIGINT NOT NULL REFERENCES stories(id),
    exemplar_id BIGINT NOT NULL REFERENCES exemplars(id),
    PRIMARY KEY (story_id, exemplar_id)
);
CREATE INDEX story_exemplars_exemplar ON story_exemplars (exemplar_id, story_id);
