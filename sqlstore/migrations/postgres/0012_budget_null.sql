-- settings.monthlyTokenBudgetCents used to read 0 as "no budget"; it now
-- reads null (or no key) as no budget and 0 as "no model at all". A stored
-- 0 was chosen under the old meaning, so it becomes no budget: the key is
-- removed, and the settings read it as their default, none. The column is
-- text holding JSON (0005_owner.sql), hence the casts.
UPDATE tenants
SET settings = (settings::jsonb - 'monthlyTokenBudgetCents')::text
WHERE settings::jsonb -> 'monthlyTokenBudgetCents' = '0'::jsonb;
