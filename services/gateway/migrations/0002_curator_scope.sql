-- What a curator may see: federal districts and/or regions (empty for other roles: admins see all).
ALTER TABLE users ADD COLUMN scope_districts text[] NOT NULL DEFAULT '{}';
ALTER TABLE users ADD COLUMN scope_regions   text[] NOT NULL DEFAULT '{}';
