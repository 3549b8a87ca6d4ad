-- A customer token issued for a booking made in a chat that an earlier
-- token of the same customer linked carries that token's bookings too
-- (newest first, space-separated ids): the history its holder made on
-- that device, and nothing else.
ALTER TABLE customer_tokens ADD COLUMN earlier_booking_ids text NOT NULL DEFAULT '';
