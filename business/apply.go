package business

import (
	"bytes"
	"context"
	"fmt"
	"reflect"
	"strings"

	"sigs.k8s.io/yaml"

	"github.com/frontdeskhq/frontdesk"
)

// File describes a whole business for `tenant apply`, in YAML or JSON with
// the tenant API's field names: the profile fields of GET /v1/tenant, the
// services (matched by slug), the weekly hours and the days off. A list
// that is present describes the business completely: services missing from
// it are removed (archived when they have bookings), and so are days off.
// Absent fields and lists are left as they are.
type File struct {
	ProfilePatch
	Packages *[]PackageInput `json:"packages,omitempty"`
	Hours    *[]Rule         `json:"hours,omitempty"`
	DaysOff  *[]DayOff       `json:"daysOff,omitempty"`
}

// DayOff is one closed day of a business file.
type DayOff struct {
	Date   string `json:"date"`
	Reason string `json:"reason,omitempty"`
}

// ParseFile reads a business file, YAML or JSON. Unknown fields and wrong
// types are errors that name the field.
func ParseFile(data []byte) (*File, error) {
	js, err := yaml.YAMLToJSON(data)
	if err != nil {
		return nil, frontdesk.Errorf(frontdesk.EInvalid, "The file is neither valid YAML nor JSON: %s.", strings.TrimPrefix(err.Error(), "error converting YAML to JSON: "))
	}
	if bytes.Equal(bytes.TrimSpace(js), []byte("null")) {
		return nil, frontdesk.Errorf(frontdesk.EInvalid, "The file is empty; describe the business (name, contactEmail, packages, hours...).")
	}
	var f File
	if err := frontdesk.DecodeJSON(bytes.NewReader(js), &f); err != nil {
		return nil, err
	}
	return &f, nil
}

// ApplyResult says what applying a file did.
type ApplyResult struct {
	TenantID string `json:"tenantId"`
	Slug     string `json:"slug"`
	Created  bool   `json:"created"`
	// PublicKey and SecretKey are set for a new tenant only: the secret
	// key is shown this once.
	PublicKey string `json:"publicKey,omitempty"`
	SecretKey string `json:"secretKey,omitempty"`
	// Changes lists what changed, empty when the business already matched.
	Changes []string `json:"changes"`
}

// ApplyOptions tune Apply.
type ApplyOptions struct {
	// PublicKey is the publishable key of a tenant that is created (the
	// demo's is fixed); empty: a new random key.
	PublicKey string
}

// Apply creates the business the file describes, or brings the existing
// one with its slug (derived from the name when absent) in line with it,
// in one transaction. A file with errors changes nothing: the error lists
// every bad field by its path in the file (packages[2].priceCents).
// Applying the same file again changes nothing.
func (s *Service) Apply(ctx context.Context, f *File, opt ApplyOptions) (*ApplyResult, error) {
	res, err := s.apply(ctx, f, opt)
	if frontdesk.IsCode(err, frontdesk.EConflict) && res != nil && res.Created {
		// Another process created the same business meanwhile: update it.
		res, err = s.apply(ctx, f, opt)
	}
	return res, err
}

func (s *Service) apply(ctx context.Context, f *File, opt ApplyOptions) (*ApplyResult, error) {
	slug := ""
	switch {
	case f.Slug != nil:
		slug = *f.Slug
	case f.Name != nil:
		slug = Slugify(*f.Name)
	default:
		return nil, frontdesk.Invalid(frontdesk.FieldError{Field: "name", Message: "is required: the business's name (its slug is derived from it unless slug is given)"})
	}
	res := &ApplyResult{Slug: slug, Changes: []string{}}
	err := s.Store.WithTx(ctx, func(tx frontdesk.Tx) error {
		res.Changes, res.Created, res.PublicKey, res.SecretKey = []string{}, false, "", ""
		return s.applyTx(ctx, tx, f, slug, opt, res)
	})
	if err != nil {
		return res, err
	}
	return res, nil
}

// packagePlan is what applying does to one service.
type packagePlan struct {
	pkg    *frontdesk.Package
	create bool
}

func (s *Service) applyTx(ctx context.Context, tx frontdesk.Tx, f *File, slug string, opt ApplyOptions, res *ApplyResult) error {
	c := newChecker()
	now := s.now()
	old, err := tx.TenantBySlug(ctx, slug)
	switch {
	case frontdesk.IsCode(err, frontdesk.ENotFound):
		res.Created = true
		old = &frontdesk.Tenant{ID: frontdesk.NewID(), Slug: slug, TimeZone: "UTC", Currency: "usd",
			AllowedOrigins: []string{}, Settings: frontdesk.DefaultSettings(), CreatedAt: now}
		if f.Name == nil {
			c.add("name", "is required for a new business")
		}
		if f.ContactEmail == nil {
			c.add("contactEmail", "is required for a new business: where booking notices go")
		}
	case err != nil:
		return err
	}
	if f.Slug != nil {
		c.slug("slug", slug)
	}
	t := f.ProfilePatch.applyTo(c, old)
	res.TenantID = t.ID

	rules, replaceWeek, err := s.planRules(ctx, tx, c, f, t, res.Created)
	if err != nil {
		return err
	}
	pkgPlan, removed, err := s.planPackages(ctx, tx, c, f, t, res.Created, rules)
	if err != nil {
		return err
	}
	addDays, dropDays, err := planDaysOff(ctx, tx, c, f, t, res.Created)
	if err != nil {
		return err
	}
	if err := c.err(); err != nil {
		return err
	}

	// Everything is valid: write what differs.
	if res.Created {
		pk, sk := frontdesk.NewTenantKeys()
		if opt.PublicKey != "" {
			pk = opt.PublicKey
		}
		t.PublicKey, t.SecretKeyHash = pk, frontdesk.HashSecretKey(sk)
		res.PublicKey, res.SecretKey = pk, sk
		if err := tx.CreateTenant(ctx, t); err != nil {
			return err
		}
		res.Changes = append(res.Changes, "created business "+t.Slug)
	} else if !reflect.DeepEqual(profileFields(old), profileFields(t)) {
		if err := tx.UpdateTenant(ctx, t); err != nil {
			return slugConflict(err, "slug", "Another business already uses this slug.")
		}
		res.Changes = append(res.Changes, "updated the profile")
	}
	if replaceWeek {
		for i := range rules {
			rules[i].ID, rules[i].TenantID = frontdesk.NewID(), t.ID
		}
		if err := tx.ReplaceAvailabilityRules(ctx, t.ID, rules); err != nil {
			return err
		}
		res.Changes = append(res.Changes, "replaced the weekly hours")
	}
	for _, pl := range pkgPlan {
		if pl.create {
			if err := tx.CreatePackage(ctx, pl.pkg); err != nil {
				return err
			}
			res.Changes = append(res.Changes, "created service "+pl.pkg.Slug)
			continue
		}
		if err := tx.UpdatePackage(ctx, pl.pkg); err != nil {
			return err
		}
		res.Changes = append(res.Changes, "updated service "+pl.pkg.Slug)
	}
	for _, p := range removed {
		slug := p.Slug
		archived, err := s.deletePackage(ctx, tx, p)
		if err != nil {
			return err
		}
		res.Changes = append(res.Changes, map[bool]string{true: "archived service ", false: "deleted service "}[archived]+slug+" (not in the file)")
	}
	for _, d := range dropDays {
		if err := tx.DeleteBlackoutDate(ctx, t.ID, d.ID); err != nil {
			return err
		}
		res.Changes = append(res.Changes, "reopened "+d.Date.String())
	}
	for _, d := range addDays {
		if err := tx.CreateBlackoutDate(ctx, &d); err != nil {
			return err
		}
		res.Changes = append(res.Changes, "closed "+d.Date.String())
	}
	if len(res.Changes) > 0 && !res.Created {
		return tx.BumpTenantVersion(ctx, t.ID)
	}
	return nil
}

// profileFields are the parts of a tenant a file can change.
func profileFields(t *frontdesk.Tenant) any {
	return []any{t.Name, t.Slug, t.ContactEmail, t.TimeZone, t.Currency, t.AllowedOrigins, t.Info, t.Settings}
}

// planRules checks the file's hours. It returns the week the services
// must fit (the file's, else the stored one) and whether the stored week
// must be replaced.
func (s *Service) planRules(ctx context.Context, tx frontdesk.Tx, c checker, f *File, t *frontdesk.Tenant, created bool) ([]frontdesk.AvailabilityRule, bool, error) {
	var have []frontdesk.AvailabilityRule
	if !created {
		var err error
		if have, err = tx.ListAvailabilityRules(ctx, t.ID); err != nil {
			return nil, false, err
		}
	}
	if f.Hours == nil {
		return have, false, nil
	}
	want := nonNilRules(c.at("hours").rules(*f.Hours))
	return want, created || !reflect.DeepEqual(viewRules(have), viewRules(want)), nil
}

func nonNilRules(r []frontdesk.AvailabilityRule) []frontdesk.AvailabilityRule {
	if r == nil {
		return []frontdesk.AvailabilityRule{}
	}
	return r
}

func (s *Service) planPackages(ctx context.Context, tx frontdesk.Tx, c checker, f *File, t *frontdesk.Tenant, created bool, rules []frontdesk.AvailabilityRule) ([]packagePlan, []*frontdesk.Package, error) {
	var existing []*frontdesk.Package
	if !created {
		var err error
		if existing, err = tx.ListPackages(ctx, t.ID, false); err != nil {
			return nil, nil, err
		}
	}
	if f.Packages == nil {
		return repriced(existing, t.Currency), nil, nil
	}
	bySlug := map[string]*frontdesk.Package{}
	for _, p := range existing {
		bySlug[p.Slug] = p
	}
	seen := map[string]int{}
	var plan []packagePlan
	for i, in := range *f.Packages {
		pc := c.at(fmt.Sprintf("packages[%d]", i))
		slug := ""
		switch {
		case in.Slug != nil:
			slug = *in.Slug
		case in.Name != nil:
			slug = Slugify(*in.Name)
		}
		if j, dup := seen[slug]; dup && slug != "" {
			pc.add("slug", "%q is also the slug of packages[%d]; give each service its own slug", slug, j)
			continue
		}
		seen[slug] = i
		if in.Position == nil {
			pos := i
			in.Position = &pos
		}
		if old, ok := bySlug[slug]; ok {
			p := *old
			in.applyTo(pc, &p, false, rules)
			if !reflect.DeepEqual(p, *old) {
				plan = append(plan, packagePlan{pkg: &p})
			}
			continue
		}
		p := &frontdesk.Package{ID: frontdesk.NewID(), TenantID: t.ID, Slug: slug, Currency: t.Currency, Active: true, CreatedAt: s.now()}
		in.applyTo(pc, p, true, rules)
		plan = append(plan, packagePlan{pkg: p, create: true})
	}
	var removed []*frontdesk.Package
	for _, p := range existing {
		if _, ok := seen[p.Slug]; !ok {
			removed = append(removed, p)
		}
	}
	// A currency change reprices every service in the new currency.
	for _, p := range repriced(existing, t.Currency) {
		found := false
		for _, pl := range plan {
			if pl.pkg.ID == p.pkg.ID {
				pl.pkg.Currency, found = t.Currency, true
			}
		}
		if _, kept := seen[p.pkg.Slug]; kept && !found {
			plan = append(plan, p)
		}
	}
	return plan, removed, nil
}

// repriced plans a currency change for the services not already in it.
func repriced(pkgs []*frontdesk.Package, currency string) []packagePlan {
	var out []packagePlan
	for _, p := range pkgs {
		if p.Currency != currency {
			q := *p
			q.Currency = currency
			out = append(out, packagePlan{pkg: &q})
		}
	}
	return out
}

func planDaysOff(ctx context.Context, tx frontdesk.Tx, c checker, f *File, t *frontdesk.Tenant, created bool) (add, drop []frontdesk.BlackoutDate, err error) {
	if f.DaysOff == nil {
		return nil, nil, nil
	}
	want := map[frontdesk.Date]string{}
	var order []frontdesk.Date
	for i, d := range *f.DaysOff {
		dc := c.at(fmt.Sprintf("daysOff[%d]", i))
		day, perr := frontdesk.ParseDate(d.Date)
		if perr != nil {
			dc.add("date", "must be a date YYYY-MM-DD")
			continue
		}
		dc.text("reason", d.Reason, false, 200, false)
		if _, dup := want[day]; dup {
			dc.add("date", "%s is listed twice", day)
			continue
		}
		want[day] = strings.TrimSpace(d.Reason)
		order = append(order, day)
	}
	var have []frontdesk.BlackoutDate
	if !created {
		if have, err = tx.ListBlackoutDates(ctx, t.ID, frontdesk.Date{Year: 1, Month: 1, Day: 1}, frontdesk.Date{Year: 9999, Month: 12, Day: 31}); err != nil {
			return nil, nil, err
		}
	}
	kept := map[frontdesk.Date]bool{}
	for _, h := range have {
		if r, ok := want[h.Date]; ok && r == h.Reason {
			kept[h.Date] = true
			continue
		}
		drop = append(drop, h)
	}
	for _, d := range order {
		if !kept[d] {
			add = append(add, frontdesk.BlackoutDate{ID: frontdesk.NewID(), TenantID: t.ID, Date: d, Reason: want[d]})
		}
	}
	return add, drop, nil
}
