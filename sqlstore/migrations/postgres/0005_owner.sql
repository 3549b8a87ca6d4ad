-- What the owner's dashboard changes: booking rules (settings, JSON), a
-- calendar feed token, a configuration version for caches, service order
-- and archiving, and the text of a rated message.
ALTER TABLE tenants ADD COLUMN settings text NOT NULL DEFAULT '{}';
ALTER TABLE tenants ADD COLUMN version bigint NOT NULL DEFAULT 1;

-- Every existing tenant gets its own unguessable token before the column
-- becomes required and unique.
ALTER TABLE tenants ADD COLUMN calendar_token text;
UPDATE tenants SET calendar_token = 'cal_' || md5(random()::text || id) || md5(random()::text || id);
ALTER TABLE tenants ALTER COLUMN calendar_token SET NOT NULL;
ALTER TABLE tenants ADD CONSTRAINT tenants_calendar_token_key UNIQUE (calendar_token);

ALTER TABLE packages ADD COLUMN position integer NOT NULL DEFAULT 0;
ALTER TABLE packages ADD COLUMN archived boolean NOT NULL DEFAULT false;

ALTER TABLE chat_feedback ADD COLUMN message text NOT NULL DEFAULT '';

-- The dashboard pages customers and escalations newest first.
CREATE INDEX customers_tenant_created ON customers (tenant_id, created_at DESC, id DESC);
CREATE INDEX chat_escalations_tenant_created ON chat_escalations (tenant_id, created_at DESC, id DESC);
DROP INDEX chat_escalations_tenant;
-- Deleting a service checks its bookings.
CREATE INDEX bookings_tenant_package ON bookings (tenant_id, package_id);
