package sqlstore

import (
	"context"
	"database/sql"
	"time"

	"github.com/frontdeskhq/frontdesk"
)

const packageCols = `id, tenant_id, slug, name, description, price_cents, currency, booking_type,
	duration_minutes, buffer_minutes, active, category, created_at`

// CreatePackage inserts a package.
func (s *queries) CreatePackage(ctx context.Context, p *frontdesk.Package) error {
	_, err := s.q.ExecContext(ctx, `INSERT INTO packages (`+packageCols+`)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
		p.ID, p.TenantID, p.Slug, p.Name, p.Description, p.PriceCents, p.Currency, string(p.BookingType),
		p.DurationMinutes, p.BufferMinutes, p.Active, p.Category, ts(p.CreatedAt))
	return s.mapErr(err)
}

func scanPackage(row rowScanner) (*frontdesk.Package, error) {
	var p frontdesk.Package
	var bt string
	var created scanTime
	err := row.Scan(&p.ID, &p.TenantID, &p.Slug, &p.Name, &p.Description, &p.PriceCents, &p.Currency, &bt,
		&p.DurationMinutes, &p.BufferMinutes, &p.Active, &p.Category, &created)
	p.BookingType = frontdesk.BookingType(bt)
	p.CreatedAt = created.T
	return &p, err
}

// Package finds a tenant's package by id or slug.
func (s *queries) Package(ctx context.Context, tenantID, idOrSlug string) (*frontdesk.Package, error) {
	p, err := scanPackage(s.q.QueryRowContext(ctx, `SELECT `+packageCols+` FROM packages
		WHERE tenant_id = $1 AND (id = $2 OR slug = $2)`, tenantID, idOrSlug))
	if err != nil {
		return nil, s.notFound(err, "The service")
	}
	return p, nil
}

// ListPackages lists a tenant's packages, dearest first, then by name.
func (s *queries) ListPackages(ctx context.Context, tenantID string, activeOnly bool) ([]*frontdesk.Package, error) {
	return queryAll(ctx, s, scanPackage, `SELECT `+packageCols+` FROM packages
		WHERE tenant_id = $1 AND (active OR NOT $2) ORDER BY price_cents DESC, name, id`, tenantID, activeOnly)
}

// CreateAvailabilityRule inserts a weekly rule.
func (s *queries) CreateAvailabilityRule(ctx context.Context, r *frontdesk.AvailabilityRule) error {
	_, err := s.q.ExecContext(ctx, `INSERT INTO availability_rules (id, tenant_id, weekday, start_minute, end_minute)
		VALUES ($1, $2, $3, $4, $5)`, r.ID, r.TenantID, int(r.Weekday), r.Start, r.End)
	return s.mapErr(err)
}

// ListAvailabilityRules lists a tenant's weekly rules.
func (s *queries) ListAvailabilityRules(ctx context.Context, tenantID string) ([]frontdesk.AvailabilityRule, error) {
	return queryAll(ctx, s, func(row rowScanner) (frontdesk.AvailabilityRule, error) {
		var r frontdesk.AvailabilityRule
		var wd int
		err := row.Scan(&r.ID, &r.TenantID, &wd, &r.Start, &r.End)
		r.Weekday = time.Weekday(wd)
		return r, err
	}, `SELECT id, tenant_id, weekday, start_minute, end_minute
		FROM availability_rules WHERE tenant_id = $1 ORDER BY weekday, start_minute`, tenantID)
}

// CreateBlackoutDate inserts a day off.
func (s *queries) CreateBlackoutDate(ctx context.Context, b *frontdesk.BlackoutDate) error {
	_, err := s.q.ExecContext(ctx, `INSERT INTO blackout_dates (id, tenant_id, date, reason) VALUES ($1, $2, $3, $4)`,
		b.ID, b.TenantID, b.Date, b.Reason)
	return s.mapErr(err)
}

// ListBlackoutDates lists a tenant's days off between from and to.
func (s *queries) ListBlackoutDates(ctx context.Context, tenantID string, from, to frontdesk.Date) ([]frontdesk.BlackoutDate, error) {
	return queryAll(ctx, s, func(row rowScanner) (frontdesk.BlackoutDate, error) {
		var b frontdesk.BlackoutDate
		err := row.Scan(&b.ID, &b.TenantID, &b.Date, &b.Reason)
		return b, err
	}, `SELECT id, tenant_id, date, reason FROM blackout_dates
		WHERE tenant_id = $1 AND date >= $2 AND date <= $3 ORDER BY date`, tenantID, from, to)
}

var _ sql.Scanner = (*scanTime)(nil)
