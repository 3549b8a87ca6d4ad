package chat

import (
	"context"
	"fmt"
	"time"

	"github.com/frontdeskhq/frontdesk"
	"github.com/frontdeskhq/frontdesk/mail"
)

// DefaultSessionInputTokens is the input tokens, cached or not, the model
// may read in one chat session before the guided assistant takes over. A
// long conversation sends its history on every call; this stops one that
// runs away (a script, a visitor who never leaves) from costing without end.
const DefaultSessionInputTokens = 200_000

// budgetAlertPercents are the shares of the month's budget at which the
// owner is emailed, highest first.
var budgetAlertPercents = []int64{100, 80}

// monthSpend is a tenant's model spend in the current calendar month of
// its time zone, read when a turn starts.
type monthSpend struct {
	month  time.Time // the month's first instant, in the tenant's zone
	spent  int64     // micro-cents
	budget int64     // micro-cents; 0: nothing to alert about (no budget)
}

// MonthStart is the first instant of the calendar month, in the tenant's
// time zone, that holds now: the start of the span a monthly budget covers.
func MonthStart(t *frontdesk.Tenant, now time.Time) time.Time {
	y, m, _ := now.In(t.Location()).Date()
	return time.Date(y, m, 1, 0, 0, 0, 0, t.Location())
}

// sessionInputCap is the per-session cap in force; 0 means none.
func (s *Service) sessionInputCap() int64 {
	switch {
	case s.SessionInputTokens < 0:
		return 0
	case s.SessionInputTokens == 0:
		return DefaultSessionInputTokens
	}
	return s.SessionInputTokens
}

// modelAllowed reports whether the model may answer this turn: the tenant
// allows a model at all (a budget of 0 does not), the session is under its
// input cap and the tenant's month under its budget. It returns the month's
// spend for the alerts. When the usage cannot be read the guided assistant
// answers: the visitor is answered either way, and a budget must hold even
// when its sum cannot be checked.
func (s *Service) modelAllowed(ctx context.Context, t *frontdesk.Tenant, cs *frontdesk.ChatSession, now time.Time) (bool, monthSpend) {
	ms := monthSpend{month: MonthStart(t, now)}
	budget := t.Settings.MonthlyTokenBudgetCents
	if budget != nil && *budget <= 0 {
		// The owner chose no model: nothing to read, nothing to alert about.
		return false, monthSpend{}
	}
	// The session's total is read with the session, at the turn's start.
	if limit := s.sessionInputCap(); limit > 0 && cs.InputTokens >= limit {
		s.log().Info("session input token cap reached; the guided assistant answers", "tenant_id", t.ID, "tokens", cs.InputTokens)
		return false, monthSpend{}
	}
	if budget == nil {
		return true, ms // no budget
	}
	ms.budget = *budget * 1_000_000
	spent, err := s.Store.TokenSpend(ctx, t.ID, ms.month)
	if err != nil {
		s.log().Warn("read the month's token spend; the guided assistant answers", "tenant_id", t.ID, "err", err)
		return false, monthSpend{}
	}
	ms.spent = spent
	if spent >= ms.budget {
		// The turn that crossed the budget sent this alert; repeating it
		// (a no-op by its key) covers a crossing seen only by another turn.
		s.budgetAlert(ctx, t, ms, now)
		return false, ms
	}
	return true, ms
}

// budgetAlert emails the owner when the month's spend has reached a
// threshold of the budget: the highest reached, once per tenant, month and
// threshold (the outbox ignores a repeated key, and this process does not
// write an alert it has queued again: every turn past a threshold calls
// this). Failures are logged.
func (s *Service) budgetAlert(ctx context.Context, t *frontdesk.Tenant, ms monthSpend, now time.Time) {
	if ms.budget <= 0 {
		return
	}
	var percent int64
	for _, p := range budgetAlertPercents {
		if ms.spent*100 >= ms.budget*p {
			percent = p
			break
		}
	}
	if percent == 0 {
		return
	}
	key := fmt.Sprintf("budget:%s:%s:%d", t.ID, ms.month.Format("2006-01"), percent)
	if _, queued := s.alerted.Load(key); queued {
		return
	}
	var from, publicURL string
	if s.Bookings != nil {
		from, publicURL = s.Bookings.MailFrom, s.Bookings.PublicURL
	}
	email, err := mail.BudgetAlert(from, mail.BudgetAlertData{Tenant: t, PublicURL: publicURL, Month: ms.month,
		Percent: int(percent), SpentMicroCents: ms.spent, BudgetCents: ms.budget / 1_000_000})
	if err != nil {
		s.log().Warn("write the budget alert", "tenant_id", t.ID, "err", err)
		return
	}
	if err := s.Store.EnqueueEmail(ctx, &frontdesk.OutboxEmail{ID: frontdesk.NewID(), TenantID: t.ID, IdempotencyKey: key,
		Kind: mail.EmailBudgetAlert, Email: email, NextAttemptAt: now, CreatedAt: now}); err != nil {
		s.log().Warn("queue the budget alert", "tenant_id", t.ID, "err", err)
		return
	}
	s.alerted.Store(key, true)
}
