-- A customer who moves a booking keeps the refund share it had reached
-- when moving (NULL: no cap), so a move can't raise a later refund.
ALTER TABLE bookings ADD COLUMN refund_cap_percent INTEGER;
