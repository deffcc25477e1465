-- Reviews: shoppers write them (the review service still checks that they bought the product), staff moderate them.
INSERT INTO "permissions" ("key", "description") VALUES
  ('reviews:write', 'Write, edit and delete one''s own reviews and vote reviews helpful'),
  ('reviews:moderate', 'List reviews by moderation status, publish and hide them');

INSERT INTO "role_permissions" ("role_id", "permission_key") VALUES
  ('00000000-0000-4000-8000-000000000001', 'reviews:write'),
  ('00000000-0000-4000-8000-000000000002', 'reviews:write'),
  ('00000000-0000-4000-8000-000000000002', 'reviews:moderate'),
  ('00000000-0000-4000-8000-000000000003', 'reviews:write'),
  ('00000000-0000-4000-8000-000000000003', 'reviews:moderate');
