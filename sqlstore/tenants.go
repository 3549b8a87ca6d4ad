package sqlstore

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/frontdeskhq/frontdesk"
)

const tenantCols = `id, name, slug, contact_email, time_zone, currency, public_key, secret_key_hash,
	allowed_origins, business_info, stripe_account_id, created_at`

// CreateTenant inserts a tenant.
func (s *queries) CreateTenant(ctx context.Context, t *frontdesk.Tenant) error {
	origins, err := json.Marshal(nonNil(t.AllowedOrigins))
	if err != nil {
		return err
	}
	info, err := json.Marshal(t.Info)
	if err != nil {
		return err
	}
	_, err = s.q.ExecContext(ctx, `INSERT INTO tenants (`+tenantCols+`)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
		t.ID, t.Name, t.Slug, t.ContactEmail, t.TimeZone, strings.ToLower(t.Currency), t.PublicKey, t.SecretKeyHash,
		string(origins), string(info), t.StripeAccountID, ts(t.CreatedAt))
	return s.mapErr(err)
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func (s *queries) tenantWhere(ctx context.Context, where string, arg any) (*frontdesk.Tenant, error) {
	var t frontdesk.Tenant
	var origins, info string
	var created scanTime
	err := s.q.QueryRowContext(ctx, `SELECT `+tenantCols+` FROM tenants WHERE `+where, arg).Scan(
		&t.ID, &t.Name, &t.Slug, &t.ContactEmail, &t.TimeZone, &t.Currency, &t.PublicKey, &t.SecretKeyHash,
		&origins, &info, &t.StripeAccountID, &created)
	if err != nil {
		return nil, s.notFound(err, "The business")
	}
	t.CreatedAt = created.T
	if err := json.Unmarshal([]byte(origins), &t.AllowedOrigins); err != nil {
		return nil, fmt.Errorf("tenant %s allowed_origins: %w", t.ID, err)
	}
	if err := json.Unmarshal([]byte(info), &t.Info); err != nil {
		return nil, fmt.Errorf("tenant %s business_info: %w", t.ID, err)
	}
	return &t, nil
}

// TenantByID finds a tenant by id.
func (s *queries) TenantByID(ctx context.Context, id string) (*frontdesk.Tenant, error) {
	return s.tenantWhere(ctx, `id = $1`, id)
}

// TenantBySlug finds a tenant by slug.
func (s *queries) TenantBySlug(ctx context.Context, slug string) (*frontdesk.Tenant, error) {
	return s.tenantWhere(ctx, `slug = $1`, slug)
}

// TenantByPublicKey finds the tenant a publishable key belongs to.
func (s *queries) TenantByPublicKey(ctx context.Context, key string) (*frontdesk.Tenant, error) {
	return s.tenantWhere(ctx, `public_key = $1`, key)
}

// TenantBySecretKeyHash finds the tenant whose secret key hashes to hash.
func (s *queries) TenantBySecretKeyHash(ctx context.Context, hash string) (*frontdesk.Tenant, error) {
	return s.tenantWhere(ctx, `secret_key_hash = $1`, hash)
}

// SetSecretKeyHash replaces a tenant's secret key hash.
func (s *queries) SetSecretKeyHash(ctx context.Context, tenantID, hash string) error {
	res, err := s.q.ExecContext(ctx, `UPDATE tenants SET secret_key_hash = $2 WHERE id = $1`, tenantID, hash)
	if err != nil {
		return s.mapErr(err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return frontdesk.NotFound("The business")
	}
	return nil
}
