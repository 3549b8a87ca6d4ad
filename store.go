package frontdesk

import (
	"context"
	"time"
)

// Store is the persistence of the whole domain. Every method that touches a
// tenant's data takes the tenant id and filters by it: another tenant's ids
// are simply not found. Methods return *Error with ENotFound when a row is
// missing (never a nil result with a nil error), ESlotUnavailable when the
// database refuses a double booking, and EConflict for other uniqueness
// violations.
type Store interface {
	Tx
	// WithTx runs fn in one transaction, committing when fn returns nil and
	// rolling back otherwise. fn may be called again if the database asks
	// for a retry, so it must not have side effects outside the store.
	WithTx(ctx context.Context, fn func(tx Tx) error) error
	// RunExclusive runs fn unless another instance (PostgreSQL: any process
	// on the database; SQLite: this process) is running the job of the same
	// name; then it returns false without running fn.
	RunExclusive(ctx context.Context, name string, fn func(ctx context.Context) error) (bool, error)
	// Ping checks that the database answers.
	Ping(ctx context.Context) error
	// Close releases the database.
	Close() error
}

// Tx is the set of store operations, usable alone or inside WithTx.
type Tx interface {
	TenantStore
	CatalogStore
	BookingStore
	ChatStore
	OutboxStore
	PaymentStore
	JobStore
	DashboardStore
}

// TenantStore keeps tenants.
type TenantStore interface {
	CreateTenant(ctx context.Context, t *Tenant) error
	TenantByID(ctx context.Context, id string) (*Tenant, error)
	TenantBySlug(ctx context.Context, slug string) (*Tenant, error)
	TenantByPublicKey(ctx context.Context, publicKey string) (*Tenant, error)
	TenantBySecretKeyHash(ctx context.Context, hash string) (*Tenant, error)
	// TenantByCalendarToken finds the tenant whose calendar feed token is token.
	TenantByCalendarToken(ctx context.Context, token string) (*Tenant, error)
	// ListTenants lists every tenant, oldest first (operator CLI).
	ListTenants(ctx context.Context) ([]*Tenant, error)
	// UpdateTenant writes the tenant's profile (name, slug, contact email,
	// time zone, currency, allowed origins, info, settings) and raises its
	// Version, setting t.Version to the new value. EConflict when the slug
	// belongs to another tenant.
	UpdateTenant(ctx context.Context, t *Tenant) error
	// BumpTenantVersion raises the tenant's Version after a change to its
	// services, hours or days off, so caches keyed on it are refreshed.
	BumpTenantVersion(ctx context.Context, tenantID string) error
	// SetTenantKey replaces one key: the secret key's hash (KeySecret), the
	// publishable key, or the calendar token.
	SetTenantKey(ctx context.Context, tenantID string, kind KeyKind, value string) error
}

// CatalogStore keeps what a tenant offers and when.
type CatalogStore interface {
	CreatePackage(ctx context.Context, p *Package) error
	// Package finds a package by its id or its slug.
	Package(ctx context.Context, tenantID, idOrSlug string) (*Package, error)
	// ListPackages lists the tenant's packages that are not archived, by
	// Position, then dearest first, then by name.
	ListPackages(ctx context.Context, tenantID string, activeOnly bool) ([]*Package, error)
	// UpdatePackage writes every field of p but ID, TenantID and CreatedAt.
	// EConflict when the slug is taken by another package of the tenant.
	UpdatePackage(ctx context.Context, p *Package) error
	// DeletePackage removes a package that no booking refers to.
	DeletePackage(ctx context.Context, tenantID, id string) error
	// PackageHasBookings reports whether any booking (any status) refers to the package.
	PackageHasBookings(ctx context.Context, tenantID, id string) (bool, error)
	CreateAvailabilityRule(ctx context.Context, r *AvailabilityRule) error
	ListAvailabilityRules(ctx context.Context, tenantID string) ([]AvailabilityRule, error)
	// ReplaceAvailabilityRules deletes the tenant's weekly rules and inserts
	// rules instead (use inside WithTx so the week changes at once).
	ReplaceAvailabilityRules(ctx context.Context, tenantID string, rules []AvailabilityRule) error
	// CreateBlackoutDate inserts a day off; EConflict when the day is already off.
	CreateBlackoutDate(ctx context.Context, b *BlackoutDate) error
	// DeleteBlackoutDate removes a day off by id.
	DeleteBlackoutDate(ctx context.Context, tenantID, id string) error
	// ListBlackoutDates returns blackout days between from and to inclusive.
	ListBlackoutDates(ctx context.Context, tenantID string, from, to Date) ([]BlackoutDate, error)
}

// BookingStore keeps customers and bookings.
type BookingStore interface {
	// LockTenantSlots serialises booking writes of one tenant until the
	// transaction ends (PostgreSQL: an advisory lock; SQLite: writers are
	// already serialised). Only meaningful inside WithTx.
	LockTenantSlots(ctx context.Context, tenantID string) error
	// FindOrCreateCustomer returns the tenant's customer with this email
	// (case-insensitive), creating it with name and phone if absent.
	FindOrCreateCustomer(ctx context.Context, c *Customer) (*Customer, error)
	// Customer finds a tenant's customer by id.
	Customer(ctx context.Context, tenantID, id string) (*Customer, error)
	// ListCustomers lists a tenant's customers, newest first.
	ListCustomers(ctx context.Context, tenantID string, f CustomerFilter) (*CustomerPage, error)
	CreateBooking(ctx context.Context, b *Booking) error
	Booking(ctx context.Context, tenantID, id string) (*Booking, error)
	BookingByCode(ctx context.Context, tenantID, code string) (*Booking, error)
	ListBookings(ctx context.Context, tenantID string, f BookingFilter) (*BookingPage, error)
	// LiveBookings returns PENDING and CONFIRMED bookings whose date lies
	// between from and to inclusive.
	LiveBookings(ctx context.Context, tenantID string, from, to Date) ([]*Booking, error)
	// UpdateBooking writes the mutable fields of b (status, date and times,
	// payment and checkout fields, cancellation, notes, refunded amount,
	// reschedule count, calendar sequence, reminder). A move onto another
	// live booking is ESlotUnavailable. On PostgreSQL it takes the tenant's
	// slot lock: in a transaction, lock before writing other rows.
	UpdateBooking(ctx context.Context, b *Booking) error
	// BookingByCheckoutSession finds a booking by its Stripe checkout
	// session id, in any tenant (webhooks arrive without a tenant).
	BookingByCheckoutSession(ctx context.Context, sessionID string) (*Booking, error)
	// BookingForPayment finds a booking by id in any tenant, for webhooks
	// whose metadata names the booking.
	BookingForPayment(ctx context.Context, id string) (*Booking, error)
	// CreateManageToken stores the hash of a manage-page token of a booking
	// (a booking has one per email that links to it).
	CreateManageToken(ctx context.Context, tenantID, bookingID, tokenHash string, at time.Time) error
	// BookingByManageToken finds, in any tenant, the booking a manage-page
	// token was issued for, by the token's hash.
	BookingByManageToken(ctx context.Context, tokenHash string) (*Booking, error)
	// CreateCustomerToken stores a returning customer's token (its hash)
	// for a tenant's customer. ENotFound when the tenant has no such customer.
	CreateCustomerToken(ctx context.Context, tok *CustomerToken) error
	// CustomerToken finds a tenant's token issued at or after notBefore,
	// by its hash; ENotFound for an unknown, older, foreign or revoked one.
	CustomerToken(ctx context.Context, tenantID, tokenHash string, notBefore time.Time) (*CustomerToken, error)
	// CreateRefund records a refund to carry out.
	CreateRefund(ctx context.Context, r *Refund) error
	// UpdateRefund writes a refund's status, provider id, attempts, next
	// attempt, last error and UpdatedAt.
	UpdateRefund(ctx context.Context, r *Refund) error
	// Refunds lists a booking's refunds, oldest first.
	Refunds(ctx context.Context, tenantID, bookingID string) ([]*Refund, error)
	// RefundByProviderID finds a refund by the provider's refund id, in any
	// tenant (webhooks arrive without one).
	RefundByProviderID(ctx context.Context, providerRefundID string) (*Refund, error)
	// CustomerBookings lists every booking of a tenant's customer, oldest
	// first; ENotFound when the tenant has no such customer.
	CustomerBookings(ctx context.Context, tenantID, customerID string) ([]*Booking, error)
	// CustomerSessions lists the chat sessions still held that belong to a
	// tenant's customer: linked to them, or whose messages, proposals or
	// escalations carry their email. ENotFound when there is no such customer.
	CustomerSessions(ctx context.Context, tenantID, customerID string) ([]*ChatSession, error)
	// CustomerMessages lists the messages of the customer's sessions
	// (CustomerSessions), by session and then in order.
	CustomerMessages(ctx context.Context, tenantID, customerID string) ([]*ChatMessage, error)
	// CustomerFeedback lists the feedback given in the customer's sessions
	// or whose text carries their email, oldest first.
	CustomerFeedback(ctx context.Context, tenantID, customerID string) ([]*Feedback, error)
	// CustomerEscalations lists the escalations that carry the customer's
	// email or come from their sessions, oldest first.
	CustomerEscalations(ctx context.Context, tenantID, customerID string) ([]*Escalation, error)
	// CustomerEmails lists the outbox emails addressed to the customer's
	// email, oldest first.
	CustomerEmails(ctx context.Context, tenantID, customerID string) ([]*OutboxEmail, error)
	// CustomerTokens lists the returning-customer tokens issued to a
	// tenant's customer (their hashes and the details typed for each),
	// oldest first; ENotFound when there is no such customer.
	CustomerTokens(ctx context.Context, tenantID, customerID string) ([]*CustomerToken, error)
	// EraseCustomer erases a tenant's customer in one transaction: name,
	// email and phone replaced; their chat sessions, messages, proposals,
	// feedback, their returning-customer tokens and their bookings'
	// transcripts and manage tokens deleted;
	// escalations and outbox emails that carry their email blanked (unsent
	// ones are not sent). Bookings stay, anonymised through the customer
	// row. Erasing an erased customer changes nothing. ENotFound when the
	// tenant has no such customer.
	EraseCustomer(ctx context.Context, tenantID, customerID string, at time.Time) error
}

// ChatStore keeps chat sessions, their messages, proposals and token usage.
type ChatStore interface {
	CreateSession(ctx context.Context, s *ChatSession) error
	Session(ctx context.Context, tenantID, id string) (*ChatSession, error)
	// SaveSessionState stores the session's state and bumps UpdatedAt.
	SaveSessionState(ctx context.Context, s *ChatSession) error
	AppendMessage(ctx context.Context, m *ChatMessage) error
	// RecentMessages returns up to limit latest messages, oldest first.
	RecentMessages(ctx context.Context, tenantID, sessionID string, limit int) ([]*ChatMessage, error)
	CreateProposal(ctx context.Context, p *Proposal) error
	// Proposal finds a proposal of this tenant and session.
	Proposal(ctx context.Context, tenantID, sessionID, id string) (*Proposal, error)
	// UpdateProposal writes status and result.
	UpdateProposal(ctx context.Context, p *Proposal) error
	// Message finds a message of a tenant's session.
	Message(ctx context.Context, tenantID, sessionID, id string) (*ChatMessage, error)
	// SaveFeedback stores feedback, replacing the earlier feedback on the
	// same target; f.ID is set to the stored row's id.
	SaveFeedback(ctx context.Context, f *Feedback) error
	// ListFeedback lists a tenant's feedback created in [from, to), oldest
	// first; a zero bound is open.
	ListFeedback(ctx context.Context, tenantID string, from, to time.Time) ([]*Feedback, error)
	CreateEscalation(ctx context.Context, e *Escalation) error
	// ListEscalations lists a tenant's escalations, newest first.
	ListEscalations(ctx context.Context, tenantID string, f EscalationFilter) (*EscalationPage, error)
	// Escalation finds a tenant's escalation by id.
	Escalation(ctx context.Context, tenantID, id string) (*Escalation, error)
	// SetEscalationStatus changes an escalation's status.
	SetEscalationStatus(ctx context.Context, tenantID, id, status string) error
	// CountSession adds a started session to the tenant's count for day.
	CountSession(ctx context.Context, tenantID string, day Date) error
	// Analytics sums the tenant's activity: sessions counted on days from
	// through to, everything else between the instants start and end.
	Analytics(ctx context.Context, tenantID string, from, to Date, start, end time.Time) (*Analytics, error)
	RecordTokenUsage(ctx context.Context, u *TokenUsage) error
	ListTokenUsage(ctx context.Context, tenantID string) ([]*TokenUsage, error)
	// TokenSpend sums the estimated cost (millionths of a US cent) of the
	// tenant's model calls recorded at or after since, for its budget.
	TokenSpend(ctx context.Context, tenantID string, since time.Time) (costMicroCents int64, err error)
}

// OutboxStore keeps emails until they are sent.
type OutboxStore interface {
	// EnqueueEmail adds an email; a second email with the same idempotency
	// key is ignored (no error), so enqueueing is safe to repeat.
	EnqueueEmail(ctx context.Context, e *OutboxEmail) error
	// ReleaseEmail replaces the message of a still-unsent email (when e is
	// not nil) and makes it due at due. It does nothing once the email has
	// been attempted, so it never changes what a customer already received.
	ReleaseEmail(ctx context.Context, idempotencyKey string, e *Email, due time.Time) error
	// ClaimEmails leases up to limit due PENDING emails to one worker until
	// now+lease; another worker cannot claim them meanwhile.
	ClaimEmails(ctx context.Context, now time.Time, lease time.Duration, limit int) ([]*OutboxEmail, error)
	// MarkEmailSent records a successful delivery.
	MarkEmailSent(ctx context.Context, id string, at time.Time) error
	// MarkEmailFailed records a failed attempt: the email is retried at next,
	// or becomes DEAD when dead is true.
	MarkEmailFailed(ctx context.Context, id string, lastErr string, next time.Time, dead bool) error
	ListEmails(ctx context.Context, tenantID string) ([]*OutboxEmail, error)
	// Email finds an outbox email by id in any tenant (dev mailbox).
	Email(ctx context.Context, id string) (*OutboxEmail, error)
	// AllEmails lists the latest emails of every tenant (dev mailbox).
	AllEmails(ctx context.Context, limit int) ([]*OutboxEmail, error)
}

// PaymentStore keeps what makes webhooks idempotent.
type PaymentStore interface {
	// RecordWebhookEvent inserts the event; it returns false (and no error)
	// when the event id was recorded before.
	RecordWebhookEvent(ctx context.Context, e *WebhookEvent) (bool, error)
}

// JobStore holds the housekeeping queries of the periodic jobs.
type JobStore interface {
	// DeleteIdleSessions removes sessions not updated since before.
	DeleteIdleSessions(ctx context.Context, before time.Time) (int64, error)
	// ExpireProposals marks PENDING proposals past their expiry EXPIRED.
	ExpireProposals(ctx context.Context, now time.Time) (int64, error)
	// DeleteOldProposals removes EXPIRED or REJECTED proposals whose expiry
	// is before the given time.
	DeleteOldProposals(ctx context.Context, before time.Time) (int64, error)
	// LapsedCheckouts returns PENDING bookings whose checkout expired before now.
	LapsedCheckouts(ctx context.Context, now time.Time, limit int) ([]*Booking, error)
	// BookingsAwaitingCheckout returns PENDING paid bookings without a
	// checkout session created between after and before, oldest first.
	BookingsAwaitingCheckout(ctx context.Context, after, before time.Time, limit int) ([]*Booking, error)
	// RefundsDue returns PENDING refunds whose next attempt is at or before
	// now, oldest first, in any tenant.
	RefundsDue(ctx context.Context, now time.Time, limit int) ([]*Refund, error)
	// RemindersDue returns live bookings whose ReminderDueAt is at or before
	// now, earliest first, in any tenant.
	RemindersDue(ctx context.Context, now time.Time, limit int) ([]*Booking, error)
	// ClaimJobRun claims the run of the periodic job name at now for the
	// instance that calls it. It returns true, and records now as the
	// job's last run, when no instance ran the job in the period every
	// before now (its last run is at or before now-every, or it never
	// ran); otherwise false, changing nothing. Of concurrent claims in
	// one period exactly one is true.
	ClaimJobRun(ctx context.Context, name string, now time.Time, every time.Duration) (bool, error)
}
