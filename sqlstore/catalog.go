package sqlstore

import (
	"context"
	"database/sql"
	"time"

	"github.com/frontdeskhq/frontdesk"
)

const packageCols = `id, tenant_id, slug, name, description, price_cents, currency, booking_type,
	duration_minutes, buffer_minutes, active, category, position, archived, created_at`

// CreatePackage inserts a package.
func (s *queries) CreatePackage(ctx context.Context, p *frontdesk.Package) error {
	_, err := s.q.ExecContext(ctx, `INSERT INTO packages (`+packageCols+`)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)`,
		p.ID, p.TenantID, p.Slug, p.Name, p.Description, p.PriceCents, p.Currency, string(p.BookingType),
		p.DurationMinutes, p.BufferMinutes, p.Active, p.Category, p.Position, p.Archived, ts(p.CreatedAt))
	return packageSlugTaken(s.mapErr(err))
}

// packageSlugTaken words a uniqueness violation on a package for the owner:
// the only unique key a package has besides its id is its slug.
func packageSlugTaken(err error) error {
	if frontdesk.IsCode(err, frontdesk.EConflict) {
		return &frontdesk.Error{Code: frontdesk.EConflict, Message: "Another service already uses that slug; choose another.", Err: err}
	}
	return err
}

func scanPackage(row rowScanner) (*frontdesk.Package, error) {
	var p frontdesk.Package
	var bt string
	var created scanTime
	err := row.Scan(&p.ID, &p.TenantID, &p.Slug, &p.Name, &p.Description, &p.PriceCents, &p.Currency, &bt,
		&p.DurationMinutes, &p.BufferMinutes, &p.Active, &p.Category, &p.Position, &p.Archived, &created)
	p.BookingType = frontdesk.BookingType(bt)
	p.CreatedAt = created.T
	return &p, err
}

// Package finds a tenant's package by id or slug, archived or not.
func (s *queries) Package(ctx context.Context, tenantID, idOrSlug string) (*frontdesk.Package, error) {
	p, err := scanPackage(s.q.QueryRowContext(ctx, `SELECT `+packageCols+` FROM packages
		WHERE tenant_id = $1 AND (id = $2 OR slug = $2)`, tenantID, idOrSlug))
	if err != nil {
		return nil, s.notFound(err, "The service")
	}
	return p, nil
}

// ListPackages lists a tenant's packages that are not archived, by
// position, then dearest first, then by name.
func (s *queries) ListPackages(ctx context.Context, tenantID string, activeOnly bool) ([]*frontdesk.Package, error) {
	return queryAll(ctx, s, scanPackage, `SELECT `+packageCols+` FROM packages
		WHERE tenant_id = $1 AND NOT archived AND (active OR NOT $2)
		ORDER BY position, price_cents DESC, name, id`, tenantID, activeOnly)
}

// UpdatePackage writes every field of p but its id, tenant and creation
// time. EConflict when another package of the tenant has the slug.
func (s *queries) UpdatePackage(ctx context.Context, p *frontdesk.Package) error {
	err := s.execOne(ctx, "The service", `UPDATE packages SET slug = $3, name = $4, description = $5, price_cents = $6,
		currency = $7, booking_type = $8, duration_minutes = $9, buffer_minutes = $10, active = $11, category = $12,
		position = $13, archived = $14
		WHERE tenant_id = $1 AND id = $2`,
		p.TenantID, p.ID, p.Slug, p.Name, p.Description, p.PriceCents, p.Currency, string(p.BookingType),
		p.DurationMinutes, p.BufferMinutes, p.Active, p.Category, p.Position, p.Archived)
	return packageSlugTaken(err)
}

// DeletePackage removes a package. EConflict when a booking refers to it
// (archive it instead).
func (s *queries) DeletePackage(ctx context.Context, tenantID, id string) error {
	err := s.execOne(ctx, "The service", `DELETE FROM packages WHERE tenant_id = $1 AND id = $2`, tenantID, id)
	if foreignKeyViolation(err) {
		return &frontdesk.Error{Code: frontdesk.EConflict, Message: "The service has bookings, so it cannot be deleted; archive it instead.", Err: err}
	}
	return err
}

// PackageHasBookings reports whether any booking of the tenant, in any
// status, refers to the package; false for a package it does not have.
func (s *queries) PackageHasBookings(ctx context.Context, tenantID, id string) (bool, error) {
	var has bool
	err := s.q.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM bookings WHERE tenant_id = $1 AND package_id = $2)`,
		tenantID, id).Scan(&has)
	return has, s.mapErr(err)
}

// CreateAvailabilityRule inserts a weekly rule.
func (s *queries) CreateAvailabilityRule(ctx context.Context, r *frontdesk.AvailabilityRule) error {
	_, err := s.q.ExecContext(ctx, `INSERT INTO availability_rules (id, tenant_id, weekday, start_minute, end_minute)
		VALUES ($1, $2, $3, $4, $5)`, r.ID, r.TenantID, int(r.Weekday), r.Start, r.End)
	return s.mapErr(err)
}

// ReplaceAvailabilityRules deletes the tenant's weekly rules and inserts
// rules, in one transaction (its own when not called inside one). Rules
// without an id get one; every rule gets tenantID. rules is not modified.
func (s *queries) ReplaceAvailabilityRules(ctx context.Context, tenantID string, rules []frontdesk.AvailabilityRule) error {
	return s.inTx(ctx, func(q *queries) error {
		if _, err := q.q.ExecContext(ctx, `DELETE FROM availability_rules WHERE tenant_id = $1`, tenantID); err != nil {
			return q.mapErr(err)
		}
		for _, r := range rules {
			r.TenantID = tenantID
			if r.ID == "" {
				r.ID = frontdesk.NewID()
			}
			if err := q.CreateAvailabilityRule(ctx, &r); err != nil {
				return err
			}
		}
		return nil
	})
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

// CreateBlackoutDate inserts a day off; EConflict when the day is already off.
func (s *queries) CreateBlackoutDate(ctx context.Context, b *frontdesk.BlackoutDate) error {
	_, err := s.q.ExecContext(ctx, `INSERT INTO blackout_dates (id, tenant_id, date, reason) VALUES ($1, $2, $3, $4)`,
		b.ID, b.TenantID, b.Date, b.Reason)
	err = s.mapErr(err)
	if frontdesk.IsCode(err, frontdesk.EConflict) {
		return &frontdesk.Error{Code: frontdesk.EConflict, Message: b.Date.String() + " is already a day off.", Err: err}
	}
	return err
}

// DeleteBlackoutDate removes a tenant's day off by id.
func (s *queries) DeleteBlackoutDate(ctx context.Context, tenantID, id string) error {
	return s.execOne(ctx, "The day off", `DELETE FROM blackout_dates WHERE tenant_id = $1 AND id = $2`, tenantID, id)
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
