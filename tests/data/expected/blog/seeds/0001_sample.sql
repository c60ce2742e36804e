INSERT INTO "authors" ("id", "name", "email", "bio", "created_at") VALUES
  ('62847c29-bf0b-58bf-834f-864340bed394', 'Name 10', 'user10@example.com', 'Sample bio 10.', '2024-11-11T10:30:00Z'),
  ('0ab5ee84-ab2a-529b-9443-c0bc78c91f25', 'Name 11', 'user11@example.com', 'Sample bio 11.', '2024-12-12T10:30:00Z'),
  ('7a9eaddc-3089-506c-aa09-3c1d1250489c', 'Name 12', 'user12@example.com', 'Sample bio 12.', '2024-01-13T10:30:00Z')
ON CONFLICT DO NOTHING;

INSERT INTO "posts" ("id", "author_id", "title", "slug", "body", "published", "published_at", "view_count") VALUES
  ('37f1fad4-e993-57c2-9854-44bffd34b849', '62847c29-bf0b-58bf-834f-864340bed394', 'Title 10', 'Slug 10', 'Sample body 10.', TRUE, '2024-11-11T10:30:00Z', 11),
  ('5aed4aa4-f696-5376-b640-6cdc547e7f2b', '0ab5ee84-ab2a-529b-9443-c0bc78c91f25', 'Title 11', 'Slug 11', 'Sample body 11.', FALSE, '2024-12-12T10:30:00Z', 12),
  ('7eec8a59-22ad-5271-97bb-d7256f15302e', '7a9eaddc-3089-506c-aa09-3c1d1250489c', 'Title 12', 'Slug 12', 'Sample body 12.', TRUE, '2024-01-13T10:30:00Z', 13)
ON CONFLICT DO NOTHING;

INSERT INTO "tags" ("id", "label") VALUES
  (1, 'Label 10'),
  (2, 'Label 11'),
  (3, 'Label 12')
ON CONFLICT DO NOTHING;
SELECT setval(pg_get_serial_sequence('"tags"', 'id'), (SELECT max("id") FROM "tags"));

INSERT INTO "post_tags" ("id", "post_id", "tag_id") VALUES
  (1, '37f1fad4-e993-57c2-9854-44bffd34b849', 1),
  (2, '5aed4aa4-f696-5376-b640-6cdc547e7f2b', 2),
  (3, '7eec8a59-22ad-5271-97bb-d7256f15302e', 3)
ON CONFLICT DO NOTHING;
SELECT setval(pg_get_serial_sequence('"post_tags"', 'id'), (SELECT max("id") FROM "post_tags"));
