package sqlstore

import (
	"context"
	"database/sql"

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

func scanPackage(row interface{ Scan(...any) error }) (*frontdesk.Package, error) {
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

// ListPackages lists a tenant's packages by name.
func (s *queries) ListPackages(ctx context.Context, tenantID string, activeOnly bool) ([]*frontdesk.Package, error) {
	rows, err := s.q.QueryContext(ctx, `SELECT `+packageCols+` FROM packages
		WHERE tenant_id = $1 AND (active OR NOT $2) ORDER BY price_cents DESC, name, id`, tenantID, activeOnly)
	if err != nil {
		return nil, s.mapErr(err)
	}
	defer rows.Close()
	var out []*frontdesk.Package
	for rows.Next() {
		p, err := scanPackage(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// CreateAvailabilityRule inserts a weekly rule.
func (s *queries) CreateAvailabilityRule(ctx context.Context, r *frontdesk.AvailabilityRule) error {
	_, err := s.q.ExecContext(ctx, `INSERT INTO availability_rules (id, tenant_id, weekday, start_minute, end_minute)
		VALUES ($1, $2, $3, $4, $5)`, r.ID, r.TenantID, int(r.Weekday), r.Start, r.End)
	return s.mapErr(err)
}

// ListAvailabilityRules lists a tenant's weekly rules.
func (s *queries) ListAvailabilityRules(ctx context.Context, tenantID string) ([]frontdesk.AvailabilityRule, error) {
	rows, err := s.q.QueryContext(ctx, `SELECT id, tenant_id, weekday, start_minute, end_minute
		FROM availability_rules WHERE tenant_id = $1 ORDER BY weekday, start_minute`, tenantID)
	if err != nil {
		return nil, s.mapErr(err)
	}
	defer rows.Close()
	var out []frontdesk.AvailabilityRule
	for rows.Next() {
		var r frontdesk.AvailabilityRule
		var wd int
		if err := rows.Scan(&r.ID, &r.TenantID, &wd, &r.Start, &r.End); err != nil {
			return nil, err
		}
		r.Weekday = timeWeekday(wd)
		out = append(out, r)
	}
	return out, rows.Err()
}

// CreateBlackoutDate inserts a day off.
func (s *queries) CreateBlackoutDate(ctx context.Context, b *frontdesk.BlackoutDate) error {
	_, err := s.q.ExecContext(ctx, `INSERT INTO blackout_dates (id, tenant_id, date, reason) VALUES ($1, $2, $3, $4)`,
		b.ID, b.TenantID, b.Date, b.Reason)
	return s.mapErr(err)
}

// ListBlackoutDates lists a tenant's days off between from and to.
func (s *queries) ListBlackoutDates(ctx context.Context, tenantID string, from, to frontdesk.Date) ([]frontdesk.BlackoutDate, error) {
	rows, err := s.q.QueryContext(ctx, `SELECT id, tenant_id, date, reason FROM blackout_dates
		WHERE tenant_id = $1 AND date >= $2 AND date <= $3 ORDER BY date`, tenantID, from, to)
	if err != nil {
		return nil, s.mapErr(err)
	}
	defer rows.Close()
	var out []frontdesk.BlackoutDate
	for rows.Next() {
		var b frontdesk.BlackoutDate
		if err := rows.Scan(&b.ID, &b.TenantID, &b.Date, &b.Reason); err != nil {
			return nil, err
		}
		out = append(out, b)
	}
	return out, rows.Err()
}

var _ sql.Scanner = (*scanTime)(nil)
