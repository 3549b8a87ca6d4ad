-- Chat sessions are deleted after a day idle; analytics keeps their count
-- per tenant and local day.
CREATE TABLE chat_session_counts (
    tenant_id text NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    day       date NOT NULL,
    sessions  integer NOT NULL,
    PRIMARY KEY (tenant_id, day)
);
