INSERT INTO "users" ("id", "email", "display_name", "role") VALUES
  ('780e6d96-979d-5fdd-84ea-d76a9a8a36b2', 'user10@example.com', 'Display name 10', 'member'),
  ('c42951b0-8fa4-5ed7-81ff-20a30bf9567a', 'user11@example.com', 'Display name 11', 'admin'),
  ('c330b328-a703-5673-9a38-7c646912d608', 'user12@example.com', 'Display name 12', 'member')
ON CONFLICT DO NOTHING;

INSERT INTO "projects" ("id", "name", "description", "owner_id", "archived") VALUES
  ('654db438-0f1e-5cd4-9de5-a8d930f52ae1', 'Name 10', 'Sample description 10.', '780e6d96-979d-5fdd-84ea-d76a9a8a36b2', TRUE),
  ('21dbb793-4e7f-5538-85ca-67136e29a32f', 'Name 11', 'Sample description 11.', 'c42951b0-8fa4-5ed7-81ff-20a30bf9567a', FALSE),
  ('adb740a7-bee1-5b10-b20c-50731c5bef11', 'Name 12', 'Sample description 12.', 'c330b328-a703-5673-9a38-7c646912d608', TRUE)
ON CONFLICT DO NOTHING;

INSERT INTO "tasks" ("id", "project_id", "assignee_id", "title", "status", "priority", "due_date", "estimate_hours") VALUES
  ('e0582866-c799-5119-bdca-daf65f434a32', '654db438-0f1e-5cd4-9de5-a8d930f52ae1', '780e6d96-979d-5fdd-84ea-d76a9a8a36b2', 'Title 10', 'in_progress', 1, '2024-11-11', 11.25),
  ('d4c5ab07-e28f-5085-9d56-276bdcabd61c', '21dbb793-4e7f-5538-85ca-67136e29a32f', 'c42951b0-8fa4-5ed7-81ff-20a30bf9567a', 'Title 11', 'done', 2, '2024-12-12', 12.25),
  ('eceb0ee0-f730-53aa-8f04-28d94a9887e2', 'adb740a7-bee1-5b10-b20c-50731c5bef11', 'c330b328-a703-5673-9a38-7c646912d608', 'Title 12', 'todo', 3, '2024-01-13', 13.25)
ON CONFLICT DO NOTHING;

INSERT INTO "comments" ("id", "task_id", "author_id", "body") VALUES
  ('e4d8782e-e2a3-5bcd-ae14-4b54490c02d6', 'e0582866-c799-5119-bdca-daf65f434a32', '780e6d96-979d-5fdd-84ea-d76a9a8a36b2', 'Sample body 10.'),
  ('a05cc7cd-4b2c-562b-a9ea-e21660e0cfa5', 'd4c5ab07-e28f-5085-9d56-276bdcabd61c', 'c42951b0-8fa4-5ed7-81ff-20a30bf9567a', 'Sample body 11.'),
  ('327ae571-9841-5ae3-8135-e2b5fe6a5622', 'eceb0ee0-f730-53aa-8f04-28d94a9887e2', 'c330b328-a703-5673-9a38-7c646912d608', 'Sample body 12.')
ON CONFLICT DO NOTHING;
