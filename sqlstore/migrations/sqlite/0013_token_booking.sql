-- A customer token shows its holder only what they typed and booked: the
-- booking it was issued for and the name, email and phone typed for it
-- (the customer row, matched by an email nobody verified, may hold
-- another person's details and bookings). A chat session remembers the
-- token that links it.
ALTER TABLE customer_tokens ADD COLUMN booking_id text NOT NULL DEFAULT '';
ALTER TABLE customer_tokens ADD COLUMN name text NOT NULL DEFAULT '';
ALTER TABLE customer_tokens ADD COLUMN email text NOT NULL DEFAULT '';
ALTER TABLE customer_tokens ADD COLUMN phone text NOT NULL DEFAULT '';
ALTER TABLE chat_sessions ADD COLUMN customer_token text NOT NULL DEFAULT '';
