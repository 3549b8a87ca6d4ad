-- A returning customer's token, kept by the widget: only its hash is
-- stored; erasing the customer deletes their tokens.
CREATE TABLE customer_tokens (
    token_hash  text PRIMARY KEY,
    tenant_id   text NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    customer_id text NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
    created_at  timestamptz NOT NULL
);
CREATE INDEX customer_tokens_customer ON customer_tokens (tenant_id, customer_id);
