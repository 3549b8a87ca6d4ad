// Package business is how an owner sets up and changes a business: its
// profile and settings, services, weekly hours, days off and keys, and the
// business file of `tenant apply`. The tenant API, the command line and the
// dashboard all call these functions; each checks its input, names every
// field error by its path, and raises the tenant's Version so the
// assistant sees the change at once on every instance.
package business

import (
	"context"
	"strings"
	"time"

	"github.com/frontdeskhq/frontdesk"
)

// Service changes businesses. Construct it directly.
type Service struct {
	Store     frontdesk.Store
	Clock     frontdesk.Clock
	PublicURL string // base of the calendar feed URL
}

func (s *Service) now() time.Time { return s.Clock.Now().UTC() }

// Profile is a tenant as the tenant API shows it.
type Profile struct {
	ID              string                 `json:"id"`
	Name            string                 `json:"name"`
	Slug            string                 `json:"slug"`
	ContactEmail    string                 `json:"contactEmail"`
	TimeZone        string                 `json:"timeZone"`
	Currency        string                 `json:"currency"`
	PublicKey       string                 `json:"publicKey"`
	AllowedOrigins  []string               `json:"allowedOrigins"`
	CalendarFeedURL string                 `json:"calendarFeedUrl"`
	Info            frontdesk.BusinessInfo `json:"info"`
	Settings        frontdesk.Settings     `json:"settings"`
	CreatedAt       time.Time              `json:"createdAt"`
}

// CalendarFeedURL is the address of the tenant's calendar feed.
func (s *Service) CalendarFeedURL(t *frontdesk.Tenant) string {
	return strings.TrimRight(s.PublicURL, "/") + "/calendar/" + t.CalendarToken + ".ics"
}

// ProfileOf returns the tenant's profile.
func (s *Service) ProfileOf(t *frontdesk.Tenant) Profile {
	info := t.Info
	if info.Policies == nil {
		info.Policies = map[string]string{}
	}
	if info.FAQ == nil {
		info.FAQ = []frontdesk.FAQ{}
	}
	st := t.Settings
	if st.RefundPolicy == nil {
		st.RefundPolicy = []frontdesk.RefundTier{}
	}
	if st.DashboardEmails == nil {
		st.DashboardEmails = []string{}
	}
	origins := t.AllowedOrigins
	if origins == nil {
		origins = []string{}
	}
	return Profile{ID: t.ID, Name: t.Name, Slug: t.Slug, ContactEmail: t.ContactEmail, TimeZone: t.TimeZone,
		Currency: t.Currency, PublicKey: t.PublicKey, AllowedOrigins: origins, CalendarFeedURL: s.CalendarFeedURL(t),
		Info: info, Settings: st, CreatedAt: t.CreatedAt}
}

// ProfilePatch changes the fields it carries and leaves the others; the
// JSON names are the tenant API's. Nested objects are patched field by
// field too; lists and the policies map are replaced whole.
type ProfilePatch struct {
	Name           *string        `json:"name,omitempty"`
	Slug           *string        `json:"slug,omitempty"`
	ContactEmail   *string        `json:"contactEmail,omitempty"`
	TimeZone       *string        `json:"timeZone,omitempty"`
	Currency       *string        `json:"currency,omitempty"`
	AllowedOrigins *[]string      `json:"allowedOrigins,omitempty"`
	Info           *InfoPatch     `json:"info,omitempty"`
	Settings       *SettingsPatch `json:"settings,omitempty"`
}

// InfoPatch changes parts of the business info.
type InfoPatch struct {
	Description *string            `json:"description,omitempty"`
	Policies    *map[string]string `json:"policies,omitempty"`
	FAQ         *[]frontdesk.FAQ   `json:"faq,omitempty"`
	Phone       *string            `json:"phone,omitempty"`
	Address     *string            `json:"address,omitempty"`
	Website     *string            `json:"website,omitempty"`
}

// SettingsPatch changes some of the booking rules.
type SettingsPatch struct {
	MinNoticeMinutes        *int                    `json:"minNoticeMinutes,omitempty"`
	MaxDaysAhead            *int                    `json:"maxDaysAhead,omitempty"`
	RequirePhone            *bool                   `json:"requirePhone,omitempty"`
	ReminderHoursBefore     *int                    `json:"reminderHoursBefore,omitempty"`
	RefundPolicy            *[]frontdesk.RefundTier `json:"refundPolicy,omitempty"`
	RescheduleCutoffHours   *int                    `json:"rescheduleCutoffHours,omitempty"`
	MaxReschedules          *int                    `json:"maxReschedules,omitempty"`
	MonthlyTokenBudgetCents BudgetPatch             `json:"monthlyTokenBudgetCents,omitzero"`
	DashboardEmails         *[]string               `json:"dashboardEmails,omitempty"`
}

func set[T any](dst *T, v *T) {
	if v != nil {
		*dst = *v
	}
}

// applyTo writes the patch over a copy of t, checks the result and
// returns it; t itself is not changed.
func (p *ProfilePatch) applyTo(c checker, t *frontdesk.Tenant) *frontdesk.Tenant {
	n := *t
	if p.Name != nil {
		n.Name = strings.TrimSpace(*p.Name)
		c.text("name", n.Name, true, 120, false)
	}
	if p.Slug != nil {
		n.Slug = *p.Slug
		c.slug("slug", n.Slug)
	}
	if p.ContactEmail != nil {
		n.ContactEmail = strings.TrimSpace(*p.ContactEmail)
		c.email("contactEmail", n.ContactEmail)
	}
	if p.TimeZone != nil {
		n.TimeZone = *p.TimeZone
		c.timeZone("timeZone", n.TimeZone)
	}
	if p.Currency != nil {
		n.Currency = strings.ToLower(*p.Currency)
		c.currency("currency", n.Currency)
	}
	if p.AllowedOrigins != nil {
		n.AllowedOrigins = c.origins("allowedOrigins", *p.AllowedOrigins)
	}
	if ip := p.Info; ip != nil {
		set(&n.Info.Description, ip.Description)
		set(&n.Info.Policies, ip.Policies)
		set(&n.Info.FAQ, ip.FAQ)
		set(&n.Info.Phone, ip.Phone)
		set(&n.Info.Address, ip.Address)
		set(&n.Info.Website, ip.Website)
		c.at("info").info(&n.Info)
	}
	if sp := p.Settings; sp != nil {
		st := n.Settings
		set(&st.MinNoticeMinutes, sp.MinNoticeMinutes)
		set(&st.MaxDaysAhead, sp.MaxDaysAhead)
		set(&st.RequirePhone, sp.RequirePhone)
		set(&st.ReminderHoursBefore, sp.ReminderHoursBefore)
		set(&st.RefundPolicy, sp.RefundPolicy)
		set(&st.RescheduleCutoffHours, sp.RescheduleCutoffHours)
		set(&st.MaxReschedules, sp.MaxReschedules)
		st.MonthlyTokenBudgetCents = sp.MonthlyTokenBudgetCents.applyTo(st.MonthlyTokenBudgetCents)
		set(&st.DashboardEmails, sp.DashboardEmails)
		if st.RefundPolicy == nil {
			st.RefundPolicy = []frontdesk.RefundTier{}
		}
		if st.DashboardEmails == nil {
			st.DashboardEmails = []string{}
		}
		c.at("settings").settings(&st)
		n.Settings = st
	}
	return &n
}

// UpdateProfile applies a patch to the tenant and returns the tenant as
// stored. EInvalid names each bad field, and refuses a new slug: only the
// operator's business file sets it.
func (s *Service) UpdateProfile(ctx context.Context, t *frontdesk.Tenant, p ProfilePatch) (*frontdesk.Tenant, error) {
	if p.Slug != nil && *p.Slug != t.Slug {
		// The slug is what `tenant apply` matches a business file by: a
		// business that could take another's would receive its file.
		return nil, frontdesk.Invalid(frontdesk.FieldError{Field: "slug",
			Message: "is the business's identifier for the operator; it can't be changed here (ask the operator to change it with frontdesk tenant apply)"})
	}
	c := newChecker()
	n := p.applyTo(c, t)
	if err := c.err(); err != nil {
		return nil, err
	}
	err := s.Store.WithTx(ctx, func(tx frontdesk.Tx) error {
		if err := tx.UpdateTenant(ctx, n); err != nil {
			return slugConflict(err, "slug", "Another business already uses this slug; choose another.")
		}
		pkgs, err := tx.ListPackages(ctx, t.ID, false)
		if err != nil {
			return err
		}
		// Prices are in the business's currency: a change reprices them.
		for _, pl := range repriced(pkgs, n.Currency) {
			if err := tx.UpdatePackage(ctx, pl.pkg); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return n, nil
}

// slugConflict turns a store conflict into an error that names the field.
func slugConflict(err error, field, msg string) error {
	if frontdesk.IsCode(err, frontdesk.EConflict) {
		return &frontdesk.Error{Code: frontdesk.EConflict, Message: msg, Details: []frontdesk.FieldError{{Field: field, Message: msg}}, Err: err}
	}
	return err
}

// RotateKey replaces one of the tenant's keys and returns the new value:
// the secret key (only its hash is kept, so this is the one time it is
// shown), the publishable key (the widget tag must be updated) or the
// calendar feed URL. The old key stops working at once.
func (s *Service) RotateKey(ctx context.Context, t *frontdesk.Tenant, kind frontdesk.KeyKind) (string, error) {
	switch kind {
	case frontdesk.KeySecret:
		_, sk := frontdesk.NewTenantKeys()
		return sk, s.Store.SetTenantKey(ctx, t.ID, kind, frontdesk.HashSecretKey(sk))
	case frontdesk.KeyPublishable:
		pk, _ := frontdesk.NewTenantKeys()
		if err := s.Store.SetTenantKey(ctx, t.ID, kind, pk); err != nil {
			return "", err
		}
		t.PublicKey = pk
		return pk, nil
	case frontdesk.KeyCalendar:
		tok := frontdesk.NewCalendarToken()
		if err := s.Store.SetTenantKey(ctx, t.ID, kind, tok); err != nil {
			return "", err
		}
		t.CalendarToken = tok
		return s.CalendarFeedURL(t), nil
	}
	return "", frontdesk.Invalid(frontdesk.FieldError{Field: "key", Message: "must be secret, publishable or calendar"})
}

// ParseKeyKind reads a key name; empty means the secret key.
func ParseKeyKind(s string) (frontdesk.KeyKind, bool) {
	switch k := frontdesk.KeyKind(s); k {
	case "":
		return frontdesk.KeySecret, true
	case frontdesk.KeySecret, frontdesk.KeyPublishable, frontdesk.KeyCalendar:
		return k, true
	}
	return "", false
}

// SetEscalationStatus moves an escalation to ACKNOWLEDGED or RESOLVED.
func (s *Service) SetEscalationStatus(ctx context.Context, t *frontdesk.Tenant, id, status string) (*frontdesk.Escalation, error) {
	if status != frontdesk.EscalationAcknowledged && status != frontdesk.EscalationResolved && status != frontdesk.EscalationPending {
		return nil, frontdesk.Invalid(frontdesk.FieldError{Field: "status", Message: "must be ACKNOWLEDGED or RESOLVED (or PENDING to reopen)"})
	}
	if err := s.Store.SetEscalationStatus(ctx, t.ID, id, status); err != nil {
		return nil, err
	}
	return s.Store.Escalation(ctx, t.ID, id)
}
