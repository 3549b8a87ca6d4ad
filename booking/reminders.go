package booking

import (
	"context"
	"fmt"

	"github.com/frontdeskhq/frontdesk"
	fdmail "github.com/frontdeskhq/frontdesk/mail"
)

// SendReminders queues the reminder email of every live booking whose
// reminder is due, and returns how many it queued. Each booking gets one
// reminder for its current time: the email's idempotency key names the
// booking and its reschedule count, and the due time is cleared in the
// same transaction, so two instances running this at once send one.
func (s *Service) SendReminders(ctx context.Context) (int, error) {
	due, err := s.Store.RemindersDue(ctx, s.now(), 200)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, b := range due {
		sent := false
		err := s.Store.WithTx(ctx, func(tx frontdesk.Tx) error {
			sent = false
			if err := tx.LockTenantSlots(ctx, b.TenantID); err != nil {
				return err
			}
			cur, err := tx.Booking(ctx, b.TenantID, b.ID)
			if err != nil {
				return err
			}
			now := s.now()
			if !cur.Status.Live() || cur.ReminderDueAt == nil || cur.ReminderDueAt.After(now) {
				return nil // moved, canceled or sent meanwhile
			}
			t, err := tx.TenantByID(ctx, cur.TenantID)
			if err != nil {
				return err
			}
			cur.ReminderDueAt, cur.UpdatedAt = nil, now
			if err := tx.UpdateBooking(ctx, cur); err != nil {
				return err
			}
			if !StartOf(cur, t.Location()).After(now) {
				return nil // the job was down past the start: too late to remind
			}
			d, err := s.emailData(ctx, tx, t, cur)
			if err != nil {
				return err
			}
			sent = true
			key := EmailKey(frontdesk.EmailReminder, cur.ID) + ":" + fmt.Sprint(cur.RescheduleCount)
			return s.enqueueKeyed(ctx, tx, key, frontdesk.EmailReminder, fdmail.Reminder, d, now)
		})
		if err != nil {
			// One booking that can't be reminded must not hold up the rest.
			s.log().Error("reminder", "booking_id", b.ID, "err", err)
			continue
		}
		if sent {
			n++
		}
	}
	return n, nil
}
