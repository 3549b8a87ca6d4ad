-- What the owner's dashboard changes: booking rules (settings, JSON), a
-- calendar feed token, a configuration version for caches, service order
-- and archiving, and the text of a rated message.
ALTER TABLE tenants ADD COLUMN settings text NOT NULL DEFAULT '{}';
ALTER TABLE tenants ADD COLUMN version INTEGER NOT NULL DEFAULT 1;

-- Every existing tenant gets its own unguessable token before the unique
-- index is built. (SQLite cannot add a NOT NULL column without a default.)
ALTER TABLE tenants ADD COLUMN calendar_token text NOT NULL DEFAULT '';
UPDATE tenants SET calendar_token = 'cal_' || lower(hex(randomblob(32)));
CREATE UNIQUE INDEX tenants_calendar_token ON tenants (calendar_token);

ALTER TABLE packages ADD COLUMN position integer NOT NULL DEFAULT 0;
ALTER TABLE packages ADD COLUMN archived INTEGER NOT NULL DEFAULT 0;

ALTER TABLE chat_feedback ADD COLUMN message text NOT NULL DEFAULT '';

-- The dashboard pages customers and escalations newest first.
CREATE INDEX customers_tenant_created ON customers (tenant_id, created_at, id);
CREATE INDEX chat_escalations_tenant_created ON chat_escalations (tenant_id, created_at, id);
DROP INDEX chat_escalations_tenant;
-- Deleting a service checks its bookings.
CREATE INDEX bookings_tenant_package ON bookings (tenant_id, package_id);
