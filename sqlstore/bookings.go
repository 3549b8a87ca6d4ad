package sqlstore

import (
	"context"
	"database/sql"
	"encoding/base64"
	"strings"
	"time"

	"github.com/frontdeskhq/frontdesk"
)

// LockTenantSlots takes a transaction-scoped advisory lock on PostgreSQL.
// On SQLite every transaction already holds the single write lock.
func (s *queries) LockTenantSlots(ctx context.Context, tenantID string) error {
	if s.d != Postgres {
		return nil
	}
	_, err := s.q.ExecContext(ctx, `SELECT pg_advisory_xact_lock(hashtextextended('slots:' || $1, 0))`, tenantID)
	return s.mapErr(err)
}

// FindOrCreateCustomer returns the customer with c's email in c's tenant,
// creating it when absent. Email is compared case-insensitively. A known
// customer's name and phone are filled in when they were empty.
func (s *queries) FindOrCreateCustomer(ctx context.Context, c *frontdesk.Customer) (*frontdesk.Customer, error) {
	norm := strings.ToLower(strings.TrimSpace(c.Email))
	_, err := s.q.ExecContext(ctx, `INSERT INTO customers (id, tenant_id, email, email_norm, name, phone, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (tenant_id, email_norm) DO NOTHING`,
		c.ID, c.TenantID, strings.TrimSpace(c.Email), norm, c.Name, c.Phone, ts(c.CreatedAt))
	if err != nil {
		return nil, s.mapErr(err)
	}
	if c.Phone != "" {
		if _, err := s.q.ExecContext(ctx, `UPDATE customers SET phone = $3 WHERE tenant_id = $1 AND email_norm = $2 AND phone = ''`,
			c.TenantID, norm, c.Phone); err != nil {
			return nil, s.mapErr(err)
		}
	}
	out, err := scanCustomer(s.q.QueryRowContext(ctx, `SELECT `+customerCols+` FROM customers
		WHERE tenant_id = $1 AND email_norm = $2`, c.TenantID, norm))
	if err != nil {
		return nil, s.notFound(err, "The customer")
	}
	return out, nil
}

const customerCols = `id, tenant_id, email, name, phone, created_at`

func scanCustomer(row rowScanner) (*frontdesk.Customer, error) {
	var c frontdesk.Customer
	var created scanTime
	if err := row.Scan(&c.ID, &c.TenantID, &c.Email, &c.Name, &c.Phone, &created); err != nil {
		return nil, err
	}
	c.CreatedAt = created.T
	return &c, nil
}

// Customer finds a tenant's customer by id.
func (s *queries) Customer(ctx context.Context, tenantID, id string) (*frontdesk.Customer, error) {
	c, err := scanCustomer(s.q.QueryRowContext(ctx, `SELECT `+customerCols+` FROM customers
		WHERE tenant_id = $1 AND id = $2`, tenantID, id))
	if err != nil {
		return nil, s.notFound(err, "The customer")
	}
	return c, nil
}

// ListCustomers lists a tenant's customers, newest first, a page at a
// time; f.Query keeps those whose name, email or phone contains it, in
// any case.
func (s *queries) ListCustomers(ctx context.Context, tenantID string, f frontdesk.CustomerFilter) (*frontdesk.CustomerPage, error) {
	pg := newPage(f.Limit)
	pg.add("tenant_id = ?", tenantID)
	if q := strings.TrimSpace(f.Query); q != "" {
		pg.add(`(lower(name) LIKE lower(?) ESCAPE '\' OR lower(email) LIKE lower(?) ESCAPE '\'
			OR lower(phone) LIKE lower(?) ESCAPE '\')`, contains(q), contains(q), contains(q))
	}
	if err := pg.after(f.Cursor, "created_at", "id"); err != nil {
		return nil, err
	}
	where, args := pg.sql("created_at", "id")
	rows, err := queryAll(ctx, s, scanCustomer, `SELECT `+customerCols+` FROM customers`+where, args...)
	if err != nil {
		return nil, err
	}
	out := &frontdesk.CustomerPage{}
	out.Customers, out.NextCursor = cut(pg, rows, func(c *frontdesk.Customer) (time.Time, string) { return c.CreatedAt, c.ID })
	return out, nil
}

// likeEscaper makes a user's text match itself literally in LIKE ... ESCAPE '\'.
var likeEscaper = strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)

// contains is the LIKE pattern of a substring match of q.
func contains(q string) string { return "%" + likeEscaper.Replace(q) + "%" }

// CreateBooking inserts a booking. The database refuses a second live booking
// of a date, or an overlapping live slot, with ESlotUnavailable.
//
// On PostgreSQL the insert first takes the tenant's slot lock: concurrent
// inserts whose ranges overlap would otherwise wait on each other inside the
// exclusion constraint and could deadlock. Outside a transaction it opens
// one, so the lock covers the insert.
func (s *queries) CreateBooking(ctx context.Context, b *frontdesk.Booking) error {
	if s.d == Postgres {
		if db, ok := s.q.(*sql.DB); ok {
			tx, err := db.BeginTx(ctx, nil)
			if err != nil {
				return err
			}
			if err := (&queries{q: tx, d: s.d}).CreateBooking(ctx, b); err != nil {
				tx.Rollback()
				return err
			}
			return s.mapErr(tx.Commit())
		}
		if err := s.LockTenantSlots(ctx, b.TenantID); err != nil {
			return err
		}
	}
	_, err := s.q.ExecContext(ctx, `INSERT INTO bookings (id, tenant_id, customer_id, package_id, booking_type, date,
		start_at, end_at, hold_until, status, total_price_cents, currency, confirmation_code, paid_at, source,
		checkout_session_id, checkout_url, checkout_expires_at, payment_intent_id, cancellation_reason, canceled_at,
		notes, refunded_cents, reschedule_count, calendar_sequence, reminder_due_at, created_at, updated_at, refund_cap_percent)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22,
		$23, $24, $25, $26, $27, $28, $29)`,
		b.ID, b.TenantID, b.CustomerID, b.PackageID, string(b.BookingType), b.Date,
		nts(b.StartAt), nts(b.EndAt), nts(b.HoldUntil), string(b.Status), b.TotalPriceCents, b.Currency, b.ConfirmationCode,
		nts(b.PaidAt), b.Source, b.CheckoutSessionID, b.CheckoutURL, nts(b.CheckoutExpiresAt), b.PaymentIntentID,
		b.CancellationReason, nts(b.CanceledAt), b.Notes, b.RefundedCents, b.RescheduleCount, b.CalendarSequence,
		nts(b.ReminderDueAt), ts(b.CreatedAt), ts(b.UpdatedAt), nint(b.RefundCapPercent))
	return s.mapErr(err)
}

// UpdateBooking writes a booking's mutable fields, its date and times
// included: a reschedule moves the booking, and the database refuses a move
// onto a taken slot or day with ESlotUnavailable, as it refuses an insert.
//
// On PostgreSQL it takes the tenant's slot lock first, as CreateBooking
// does and for the same reason (outside a transaction it opens one).
func (s *queries) UpdateBooking(ctx context.Context, b *frontdesk.Booking) error {
	if s.d == Postgres {
		if _, ok := s.q.(*sql.DB); ok {
			return s.inTx(ctx, func(q *queries) error { return q.UpdateBooking(ctx, b) })
		}
		if err := s.LockTenantSlots(ctx, b.TenantID); err != nil {
			return err
		}
	}
	return s.execOne(ctx, "The booking", `UPDATE bookings SET date = $3, start_at = $4, end_at = $5, hold_until = $6,
		status = $7, paid_at = $8, checkout_session_id = $9, checkout_url = $10, checkout_expires_at = $11,
		payment_intent_id = $12, cancellation_reason = $13, canceled_at = $14, notes = $15, refunded_cents = $16,
		reschedule_count = $17, calendar_sequence = $18, reminder_due_at = $19, updated_at = $20, refund_cap_percent = $21
		WHERE tenant_id = $1 AND id = $2`,
		b.TenantID, b.ID, b.Date, nts(b.StartAt), nts(b.EndAt), nts(b.HoldUntil),
		string(b.Status), nts(b.PaidAt), b.CheckoutSessionID, b.CheckoutURL, nts(b.CheckoutExpiresAt),
		b.PaymentIntentID, b.CancellationReason, nts(b.CanceledAt), b.Notes, b.RefundedCents,
		b.RescheduleCount, b.CalendarSequence, nts(b.ReminderDueAt), ts(b.UpdatedAt), nint(b.RefundCapPercent))
}

// nint is a nullable whole number for the database.
func nint(p *int) any {
	if p == nil {
		return nil
	}
	return int64(*p)
}

const bookingSelect = `SELECT b.id, b.tenant_id, b.customer_id, b.package_id, b.booking_type, b.date,
	b.start_at, b.end_at, b.hold_until, b.status, b.total_price_cents, b.currency, b.confirmation_code, b.paid_at,
	b.source, b.checkout_session_id, b.checkout_url, b.checkout_expires_at, b.payment_intent_id,
	b.cancellation_reason, b.canceled_at, b.notes, b.refunded_cents, b.reschedule_count, b.calendar_sequence,
	b.reminder_due_at, b.created_at, b.updated_at, b.refund_cap_percent,
	p.name, c.id, c.tenant_id, c.email, c.name, c.phone, c.created_at
	FROM bookings b
	JOIN packages p ON p.id = b.package_id AND p.tenant_id = b.tenant_id
	JOIN customers c ON c.id = b.customer_id AND c.tenant_id = b.tenant_id `

func scanBooking(row rowScanner) (*frontdesk.Booking, error) {
	var b frontdesk.Booking
	var bt, status string
	var start, end, hold, paid, expires, canceled, reminder, created, updated, custCreated scanTime
	var refundCap sql.NullInt64
	err := row.Scan(&b.ID, &b.TenantID, &b.CustomerID, &b.PackageID, &bt, &b.Date,
		&start, &end, &hold, &status, &b.TotalPriceCents, &b.Currency, &b.ConfirmationCode, &paid,
		&b.Source, &b.CheckoutSessionID, &b.CheckoutURL, &expires, &b.PaymentIntentID,
		&b.CancellationReason, &canceled, &b.Notes, &b.RefundedCents, &b.RescheduleCount, &b.CalendarSequence,
		&reminder, &created, &updated, &refundCap,
		&b.PackageName, &b.Customer.ID, &b.Customer.TenantID, &b.Customer.Email, &b.Customer.Name, &b.Customer.Phone, &custCreated)
	if err != nil {
		return nil, err
	}
	b.BookingType = frontdesk.BookingType(bt)
	b.Status = frontdesk.BookingStatus(status)
	b.StartAt, b.EndAt, b.HoldUntil = start.ptr(), end.ptr(), hold.ptr()
	b.PaidAt, b.CheckoutExpiresAt, b.CanceledAt, b.ReminderDueAt = paid.ptr(), expires.ptr(), canceled.ptr(), reminder.ptr()
	b.CreatedAt, b.UpdatedAt, b.Customer.CreatedAt = created.T, updated.T, custCreated.T
	if refundCap.Valid {
		c := int(refundCap.Int64)
		b.RefundCapPercent = &c
	}
	return &b, nil
}

func (s *queries) bookingWhere(ctx context.Context, where string, args ...any) (*frontdesk.Booking, error) {
	b, err := scanBooking(s.q.QueryRowContext(ctx, bookingSelect+where, args...))
	if err != nil {
		return nil, s.notFound(err, "The booking")
	}
	return b, nil
}

// Booking finds a tenant's booking by id.
func (s *queries) Booking(ctx context.Context, tenantID, id string) (*frontdesk.Booking, error) {
	return s.bookingWhere(ctx, `WHERE b.tenant_id = $1 AND b.id = $2`, tenantID, id)
}

// BookingByCode finds a tenant's booking by confirmation code.
func (s *queries) BookingByCode(ctx context.Context, tenantID, code string) (*frontdesk.Booking, error) {
	return s.bookingWhere(ctx, `WHERE b.tenant_id = $1 AND b.confirmation_code = $2`, tenantID, strings.ToUpper(strings.TrimSpace(code)))
}

// BookingByCheckoutSession finds a booking by Stripe checkout session id.
func (s *queries) BookingByCheckoutSession(ctx context.Context, sessionID string) (*frontdesk.Booking, error) {
	if sessionID == "" {
		return nil, frontdesk.NotFound("The booking")
	}
	return s.bookingWhere(ctx, `WHERE b.checkout_session_id = $1`, sessionID)
}

// BookingForPayment finds a booking by id in any tenant.
func (s *queries) BookingForPayment(ctx context.Context, id string) (*frontdesk.Booking, error) {
	return s.bookingWhere(ctx, `WHERE b.id = $1`, id)
}

// CreateManageToken stores the hash of a manage-page token of a tenant's
// booking. ENotFound when the tenant has no such booking; EConflict when
// the hash is already stored.
func (s *queries) CreateManageToken(ctx context.Context, tenantID, bookingID, tokenHash string, at time.Time) error {
	return s.execOne(ctx, "The booking", `INSERT INTO manage_tokens (token_hash, tenant_id, booking_id, created_at)
		SELECT $1, tenant_id, id, $4 FROM bookings WHERE tenant_id = $2 AND id = $3`, tokenHash, tenantID, bookingID, ts(at))
}

// CreateCustomerToken stores a returning customer's token. ENotFound
// when the tenant has no such customer.
func (s *queries) CreateCustomerToken(ctx context.Context, tok *frontdesk.CustomerToken) error {
	return s.execOne(ctx, "The customer", `INSERT INTO customer_tokens (token_hash, tenant_id, customer_id, created_at,
		booking_id, name, email, phone, earlier_booking_ids)
		SELECT $1, tenant_id, id, $4, $5, $6, $7, $8, $9 FROM customers WHERE tenant_id = $2 AND id = $3`,
		tok.Hash, tok.TenantID, tok.CustomerID, ts(tok.CreatedAt), tok.BookingID, tok.Name, tok.Email, tok.Phone,
		strings.Join(tok.Earlier, " "))
}

// customerTokenCols are the columns scanCustomerToken reads.
const customerTokenCols = `token_hash, tenant_id, customer_id, booking_id, name, email, phone, created_at, earlier_booking_ids`

func scanCustomerToken(row rowScanner) (*frontdesk.CustomerToken, error) {
	var tok frontdesk.CustomerToken
	var created scanTime
	var earlier string
	if err := row.Scan(&tok.Hash, &tok.TenantID, &tok.CustomerID, &tok.BookingID, &tok.Name, &tok.Email, &tok.Phone,
		&created, &earlier); err != nil {
		return nil, err
	}
	tok.CreatedAt, tok.Earlier = created.T, strings.Fields(earlier)
	return &tok, nil
}

// CustomerToken finds a tenant's token issued at or after notBefore.
func (s *queries) CustomerToken(ctx context.Context, tenantID, tokenHash string, notBefore time.Time) (*frontdesk.CustomerToken, error) {
	tok, err := scanCustomerToken(s.q.QueryRowContext(ctx, `SELECT `+customerTokenCols+`
		FROM customer_tokens WHERE token_hash = $2 AND tenant_id = $1 AND created_at >= $3`, tenantID, tokenHash, ts(notBefore)))
	if err != nil {
		return nil, s.notFound(err, "The customer")
	}
	return tok, nil
}

// BookingByManageToken finds, in any tenant, the booking a manage-page
// token was issued for, by the token's hash.
func (s *queries) BookingByManageToken(ctx context.Context, tokenHash string) (*frontdesk.Booking, error) {
	if tokenHash == "" {
		return nil, frontdesk.NotFound("The booking")
	}
	return s.bookingWhere(ctx, `JOIN manage_tokens m ON m.booking_id = b.id AND m.tenant_id = b.tenant_id
		WHERE m.token_hash = $1`, tokenHash)
}

func (s *queries) queryBookings(ctx context.Context, query string, args ...any) ([]*frontdesk.Booking, error) {
	return queryAll(ctx, s, scanBooking, query, args...)
}

// LiveBookings lists a tenant's PENDING and CONFIRMED bookings between two dates.
func (s *queries) LiveBookings(ctx context.Context, tenantID string, from, to frontdesk.Date) ([]*frontdesk.Booking, error) {
	return s.queryBookings(ctx, bookingSelect+`WHERE b.tenant_id = $1 AND b.status IN ('PENDING', 'CONFIRMED')
		AND b.date >= $2 AND b.date <= $3 ORDER BY b.date, b.start_at`, tenantID, from, to)
}

// ListBookings lists a tenant's bookings, newest first, a page at a time;
// f.Query keeps those whose confirmation code is it, or whose customer's
// name or email contains it, in any case.
func (s *queries) ListBookings(ctx context.Context, tenantID string, f frontdesk.BookingFilter) (*frontdesk.BookingPage, error) {
	pg := newPage(f.Limit)
	pg.add("b.tenant_id = ?", tenantID)
	if f.Status != "" {
		pg.add("b.status = ?", string(f.Status))
	}
	if f.CustomerID != "" {
		pg.add("b.customer_id = ?", f.CustomerID)
	}
	if q := strings.TrimSpace(f.Query); q != "" {
		// Codes are stored upper case, so the exact match can use the
		// unique index on them.
		pg.add(`(b.confirmation_code = ? OR lower(c.name) LIKE lower(?) ESCAPE '\' OR lower(c.email) LIKE lower(?) ESCAPE '\')`,
			strings.ToUpper(q), contains(q), contains(q))
	}
	if f.From != nil {
		pg.add("b.date >= ?", *f.From)
	}
	if f.To != nil {
		pg.add("b.date <= ?", *f.To)
	}
	if err := pg.after(f.Cursor, "b.created_at", "b.id"); err != nil {
		return nil, err
	}
	where, args := pg.sql("b.created_at", "b.id")
	rows, err := s.queryBookings(ctx, bookingSelect+where, args...)
	if err != nil {
		return nil, err
	}
	out := &frontdesk.BookingPage{}
	out.Bookings, out.NextCursor = cut(pg, rows, func(b *frontdesk.Booking) (time.Time, string) { return b.CreatedAt, b.ID })
	return out, nil
}

func encodeCursor(created, id string) string {
	return base64.RawURLEncoding.EncodeToString([]byte(created + "|" + id))
}

func decodeCursor(c string) (created, id string, ok bool) {
	raw, err := base64.RawURLEncoding.DecodeString(c)
	if err != nil {
		return "", "", false
	}
	created, id, ok = strings.Cut(string(raw), "|")
	if !ok || !frontdesk.ValidID(id) {
		return "", "", false
	}
	var t scanTime
	if t.parse(created) != nil || t.T.Year() < 1 || t.T.Year() > 9999 {
		return "", "", false
	}
	return ts(t.T), id, true
}
