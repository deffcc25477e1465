-- Catalogue and inventory administration.
INSERT INTO "permissions" ("key", "description") VALUES
  ('catalog:write', 'Create, change and delete categories and products, and see drafts'),
  ('inventory:read', 'Read stock levels and the stock ledger'),
  ('inventory:write', 'Set and adjust stock');

INSERT INTO "role_permissions" ("role_id", "permission_key") VALUES
  ('00000000-0000-4000-8000-000000000003', 'catalog:write'),
  ('00000000-0000-4000-8000-000000000003', 'inventory:read'),
  ('00000000-0000-4000-8000-000000000003', 'inventory:write'),
  ('00000000-0000-4000-8000-000000000002', 'inventory:read');
