-- Shopping and order administration.
INSERT INTO "permissions" ("key", "description") VALUES
  ('orders:place', 'Keep a cart, place, follow and cancel one''s own orders'),
  ('orders:read', 'Read any order'),
  ('orders:manage', 'Move orders through fulfilment and cancel any order'),
  ('payments:refund', 'Refund payments');

INSERT INTO "role_permissions" ("role_id", "permission_key") VALUES
  ('00000000-0000-4000-8000-000000000001', 'orders:place'),
  ('00000000-0000-4000-8000-000000000002', 'orders:place'),
  ('00000000-0000-4000-8000-000000000002', 'orders:read'),
  ('00000000-0000-4000-8000-000000000003', 'orders:place'),
  ('00000000-0000-4000-8000-000000000003', 'orders:read'),
  ('00000000-0000-4000-8000-000000000003', 'orders:manage'),
  ('00000000-0000-4000-8000-000000000003', 'payments:refund');
