INSERT INTO "customers" ("id", "email", "full_name", "phone", "marketing_opt_in") VALUES
  ('85183a89-6434-5676-b8d4-54541d082f73', 'user10@example.com', 'Full name 10', 'Phone 10', TRUE),
  ('c1578ac4-7a20-5dde-9537-ab0013d36944', 'user11@example.com', 'Full name 11', 'Phone 11', FALSE),
  ('afb26af4-bb7f-508d-afff-25e8204c972b', 'user12@example.com', 'Full name 12', 'Phone 12', TRUE)
ON CONFLICT DO NOTHING;

INSERT INTO "addresses" ("id", "customer_id", "line1", "line2", "city", "postal_code", "country") VALUES
  (1, '85183a89-6434-5676-b8d4-54541d082f73', 'Line1 10', 'Line2 10', 'City 10', 'Postal code 10', 'AK'),
  (2, 'c1578ac4-7a20-5dde-9537-ab0013d36944', 'Line1 11', 'Line2 11', 'City 11', 'Postal code 11', 'AL'),
  (3, 'afb26af4-bb7f-508d-afff-25e8204c972b', 'Line1 12', 'Line2 12', 'City 12', 'Postal code 12', 'AM')
ON CONFLICT DO NOTHING;
SELECT setval(pg_get_serial_sequence('"addresses"', 'id'), (SELECT max("id") FROM "addresses"));

INSERT INTO "categories" ("id", "name", "parent_id") VALUES
  (1, 'Name 10', NULL),
  (2, 'Name 11', 1),
  (3, 'Name 12', 1)
ON CONFLICT DO NOTHING;
SELECT setval(pg_get_serial_sequence('"categories"', 'id'), (SELECT max("id") FROM "categories"));

INSERT INTO "products" ("id", "sku", "name", "description", "price", "stock", "attributes", "active") VALUES
  ('e02d6978-c00f-5d4b-880e-aafea247e67a', 'Sku 10', 'Name 10', 'Sample description 10.', 11.25, 10, '{"label": "sample 10", "rank": 10}'::jsonb, TRUE),
  ('4d7b9cf3-8aed-5311-9d98-506eb22abc1a', 'Sku 11', 'Name 11', 'Sample description 11.', 12.25, 11, '{"label": "sample 11", "rank": 11}'::jsonb, FALSE),
  ('6c867823-9eda-5251-829e-a7b5fc3bba35', 'Sku 12', 'Name 12', 'Sample description 12.', 13.25, 12, '{"label": "sample 12", "rank": 12}'::jsonb, TRUE)
ON CONFLICT DO NOTHING;

INSERT INTO "product_categories" ("product_id", "category_id") VALUES
  ('e02d6978-c00f-5d4b-880e-aafea247e67a', 1),
  ('4d7b9cf3-8aed-5311-9d98-506eb22abc1a', 2),
  ('6c867823-9eda-5251-829e-a7b5fc3bba35', 3)
ON CONFLICT DO NOTHING;

INSERT INTO "orders" ("id", "customer_id", "shipping_address_id", "status", "placed_at", "total") VALUES
  ('d7c110fe-a1a6-55df-8802-fdb5a2daf4c6', '85183a89-6434-5676-b8d4-54541d082f73', 1, 'shipped', '2024-11-11T10:30:00Z', 11.25),
  ('56d14d95-f15f-5728-bd37-bb29ef025118', 'c1578ac4-7a20-5dde-9537-ab0013d36944', 2, 'cancelled', '2024-12-12T10:30:00Z', 12.25),
  ('23e4a680-5175-5907-80a9-e1c1ded8e9ad', 'afb26af4-bb7f-508d-afff-25e8204c972b', 3, 'pending', '2024-01-13T10:30:00Z', 13.25)
ON CONFLICT DO NOTHING;

INSERT INTO "order_items" ("id", "order_id", "product_id", "quantity", "unit_price") VALUES
  (1, 'd7c110fe-a1a6-55df-8802-fdb5a2daf4c6', 'e02d6978-c00f-5d4b-880e-aafea247e67a', 11, 11.25),
  (2, '56d14d95-f15f-5728-bd37-bb29ef025118', '4d7b9cf3-8aed-5311-9d98-506eb22abc1a', 12, 12.25),
  (3, '23e4a680-5175-5907-80a9-e1c1ded8e9ad', '6c867823-9eda-5251-829e-a7b5fc3bba35', 13, 13.25)
ON CONFLICT DO NOTHING;
SELECT setval(pg_get_serial_sequence('"order_items"', 'id'), (SELECT max("id") FROM "order_items"));

INSERT INTO "reviews" ("id", "product_id", "customer_id", "rating", "title", "body") VALUES
  ('1221e947-03a9-54cd-97d2-f7c88d5f5703', 'e02d6978-c00f-5d4b-880e-aafea247e67a', '85183a89-6434-5676-b8d4-54541d082f73', 1, 'Title 10', 'Sample body 10.'),
  ('90db7fcf-eab4-56b5-ab16-31b415a54e20', '4d7b9cf3-8aed-5311-9d98-506eb22abc1a', 'c1578ac4-7a20-5dde-9537-ab0013d36944', 2, 'Title 11', 'Sample body 11.'),
  ('c7481d26-0e6c-544c-950b-2ce5452341c3', '6c867823-9eda-5251-829e-a7b5fc3bba35', 'afb26af4-bb7f-508d-afff-25e8204c972b', 3, 'Title 12', 'Sample body 12.')
ON CONFLICT DO NOTHING;
