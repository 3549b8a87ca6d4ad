-- settings.monthlyTokenBudgetCents used to read 0 as "no budget"; it now
-- reads null (or no key) as no budget and 0 as "no model at all". A stored
-- 0 was chosen under the old meaning, so it becomes no budget: the key is
-- removed, and the settings read it as their default, none.
UPDATE tenants
SET settings = json_remove(settings, '$.monthlyTokenBudgetCents')
WHERE json_valid(settings)
  AND json_type(settings, '$.monthlyTokenBudgetCents') IN ('integer', 'real')
  AND json_extract(settings, '$.monthlyTokenBudgetCents') = 0;
