package sqlstore

import (
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"strings"

	"github.com/frontdeskhq/frontdesk"
)

const tenantCols = `id, name, slug, contact_email, time_zone, currency, public_key, secret_key_hash,
	allowed_origins, business_info, stripe_account_id, settings, calendar_token, version, created_at`

// CreateTenant inserts a tenant. A tenant without settings gets
// frontdesk.DefaultSettings, one without a calendar token a new one; both,
// and Version 1, are set on t.
func (s *queries) CreateTenant(ctx context.Context, t *frontdesk.Tenant) error {
	if reflect.DeepEqual(t.Settings, frontdesk.Settings{}) {
		t.Settings = frontdesk.DefaultSettings()
	}
	if t.CalendarToken == "" {
		t.CalendarToken = frontdesk.NewCalendarToken()
	}
	origins, info, settings, err := tenantJSON(t)
	if err != nil {
		return err
	}
	_, err = s.q.ExecContext(ctx, `INSERT INTO tenants (`+tenantCols+`)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, 1, $14)`,
		t.ID, t.Name, t.Slug, t.ContactEmail, t.TimeZone, strings.ToLower(t.Currency), t.PublicKey, t.SecretKeyHash,
		origins, info, t.StripeAccountID, settings, t.CalendarToken, ts(t.CreatedAt))
	if err != nil {
		return s.mapErr(err)
	}
	t.Version = 1
	return nil
}

// tenantJSON encodes the JSON columns of a tenant.
func tenantJSON(t *frontdesk.Tenant) (origins, info, settings string, err error) {
	o, err := json.Marshal(nonNil(t.AllowedOrigins))
	if err != nil {
		return "", "", "", err
	}
	i, err := json.Marshal(t.Info)
	if err != nil {
		return "", "", "", err
	}
	st, err := json.Marshal(t.Settings)
	if err != nil {
		return "", "", "", err
	}
	return string(o), string(i), string(st), nil
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func scanTenant(row rowScanner) (*frontdesk.Tenant, error) {
	var t frontdesk.Tenant
	var origins, info, settings string
	var created scanTime
	err := row.Scan(&t.ID, &t.Name, &t.Slug, &t.ContactEmail, &t.TimeZone, &t.Currency, &t.PublicKey, &t.SecretKeyHash,
		&origins, &info, &t.StripeAccountID, &settings, &t.CalendarToken, &t.Version, &created)
	if err != nil {
		return nil, err
	}
	t.CreatedAt = created.T
	if err := json.Unmarshal([]byte(origins), &t.AllowedOrigins); err != nil {
		return nil, fmt.Errorf("tenant %s allowed_origins: %w", t.ID, err)
	}
	if err := json.Unmarshal([]byte(info), &t.Info); err != nil {
		return nil, fmt.Errorf("tenant %s business_info: %w", t.ID, err)
	}
	// Over the defaults, so a rule added after the row was written (or a
	// row from before settings existed, '{}') reads as its default.
	t.Settings = frontdesk.DefaultSettings()
	if err := json.Unmarshal([]byte(settings), &t.Settings); err != nil {
		return nil, fmt.Errorf("tenant %s settings: %w", t.ID, err)
	}
	return &t, nil
}

func (s *queries) tenantWhere(ctx context.Context, where string, arg any) (*frontdesk.Tenant, error) {
	t, err := scanTenant(s.q.QueryRowContext(ctx, `SELECT `+tenantCols+` FROM tenants WHERE `+where, arg))
	if err != nil {
		return nil, s.notFound(err, "The business")
	}
	return t, nil
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

// TenantByCalendarToken finds the tenant whose calendar feed token is token.
func (s *queries) TenantByCalendarToken(ctx context.Context, token string) (*frontdesk.Tenant, error) {
	if token == "" { // never match a row the SQLite migration left without one
		return nil, frontdesk.NotFound("The business")
	}
	return s.tenantWhere(ctx, `calendar_token = $1`, token)
}

// ListTenants lists every tenant, oldest first.
func (s *queries) ListTenants(ctx context.Context) ([]*frontdesk.Tenant, error) {
	return queryAll(ctx, s, scanTenant, `SELECT `+tenantCols+` FROM tenants ORDER BY created_at, id`)
}

// UpdateTenant writes the tenant's profile and raises its version, which
// it sets on t. EConflict when another tenant has the slug.
func (s *queries) UpdateTenant(ctx context.Context, t *frontdesk.Tenant) error {
	origins, info, settings, err := tenantJSON(t)
	if err != nil {
		return err
	}
	err = s.q.QueryRowContext(ctx, `UPDATE tenants SET name = $2, slug = $3, contact_email = $4, time_zone = $5,
		currency = $6, allowed_origins = $7, business_info = $8, settings = $9, version = version + 1
		WHERE id = $1 RETURNING version`,
		t.ID, t.Name, t.Slug, t.ContactEmail, t.TimeZone, strings.ToLower(t.Currency), origins, info, settings).Scan(&t.Version)
	if err != nil {
		err = s.notFound(err, "The business")
		if frontdesk.IsCode(err, frontdesk.EConflict) {
			return &frontdesk.Error{Code: frontdesk.EConflict, Message: "Another business already uses that slug; choose another.", Err: err}
		}
		return err
	}
	return nil
}

// BumpTenantVersion raises the tenant's version.
func (s *queries) BumpTenantVersion(ctx context.Context, tenantID string) error {
	return s.execOne(ctx, "The business", `UPDATE tenants SET version = version + 1 WHERE id = $1`, tenantID)
}

// SetTenantKey replaces one of a tenant's keys: the secret key's hash, the
// publishable key or the calendar token. EConflict when another tenant
// has the same value.
func (s *queries) SetTenantKey(ctx context.Context, tenantID string, kind frontdesk.KeyKind, value string) error {
	var col string
	switch kind {
	case frontdesk.KeySecret:
		col = "secret_key_hash"
	case frontdesk.KeyPublishable:
		col = "public_key"
	case frontdesk.KeyCalendar:
		col = "calendar_token"
	default:
		return fmt.Errorf("sqlstore: SetTenantKey: unknown key kind %q", kind)
	}
	if value == "" {
		return fmt.Errorf("sqlstore: SetTenantKey: empty %s key", kind)
	}
	return s.execOne(ctx, "The business", `UPDATE tenants SET `+col+` = $2 WHERE id = $1`, tenantID, value)
}
