package storetest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"sort"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/frontdeskhq/frontdesk"
)

// Run runs the store contract suite against stores made by open, one fresh
// store per subtest.
func Run(t *testing.T, open func(t testing.TB) frontdesk.Store) {
	tests := []struct {
		name string
		fn   func(t *testing.T, s frontdesk.Store)
	}{
		{"Tenants", testTenants},
		{"TenantUpdate", testTenantUpdate},
		{"TenantKeys", testTenantKeys},
		{"Catalog", testCatalog},
		{"CatalogEdit", testCatalogEdit},
		{"AvailabilityEdit", testAvailabilityEdit},
		{"Customers", testCustomers},
		{"CustomerList", testCustomerList},
		{"Bookings", testBookings},
		{"BookingPagination", testBookingPagination},
		{"DateDoubleBooking", testDateDoubleBooking},
		{"TimeslotOverlap", testTimeslotOverlap},
		{"RaceDate", func(t *testing.T, s frontdesk.Store) { testRace(t, s, false) }},
		{"RaceTimeslot", func(t *testing.T, s frontdesk.Store) { testRace(t, s, true) }},
		{"BookingLifecycleFields", testBookingLifecycleFields},
		{"BookingQuery", testBookingQuery},
		{"Reschedule", testReschedule},
		{"RescheduleRace", testRescheduleRace},
		{"ManageTokens", testManageTokens},
		{"Refunds", testRefunds},
		{"RefundsWithinTotalRace", testRefundsWithinTotalRace},
		{"RefundsDue", testRefundsDue},
		{"RemindersDue", testRemindersDue},
		{"TxRollback", testTxRollback},
		{"CodeCollisionRetried", testCodeCollisionRetried},
		{"Chat", testChat},
		{"Proposals", testProposals},
		{"FeedbackAndEscalations", testFeedbackAndEscalations},
		{"EscalationList", testEscalationList},
		{"Analytics", testAnalytics},
		{"Outbox", testOutbox},
		{"WebhookEvents", testWebhookEvents},
		{"Jobs", testJobs},
		{"LoginTokens", testLoginTokens},
		{"LoginTokenRace", testLoginTokenRace},
		{"DashboardSessions", testDashboardSessions},
		{"Transcripts", testTranscripts},
		{"JobRuns", JobRuns},
		{"Privacy", Privacy},
		{"TokenUsage", TokenUsage},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { tc.fn(t, open(t)) })
	}
}

var ctx = context.Background()

func wantCode(t *testing.T, err error, code string) {
	t.Helper()
	if !frontdesk.IsCode(err, code) {
		t.Fatalf("got error %v, want code %s", err, code)
	}
}

func testTenants(t *testing.T, s frontdesk.Store) {
	f := NewFixture(t, s, "Alpha Studio", "Europe/Berlin")
	got, err := s.TenantByPublicKey(ctx, f.Tenant.PublicKey)
	must(t, err)
	if got.ID != f.Tenant.ID || got.Name != "Alpha Studio" || got.TimeZone != "Europe/Berlin" ||
		len(got.AllowedOrigins) != 1 || got.Info.Policies["cancellation"] == "" || !got.CreatedAt.Equal(f.Tenant.CreatedAt) {
		t.Fatalf("TenantByPublicKey = %+v", got)
	}
	got, err = s.TenantBySecretKeyHash(ctx, frontdesk.HashSecretKey(f.SecretKey))
	must(t, err)
	if got.ID != f.Tenant.ID {
		t.Fatalf("TenantBySecretKeyHash = %s", got.ID)
	}
	if got.SecretKeyHash == f.SecretKey {
		t.Fatal("secret key stored in clear")
	}
	_, err = s.TenantBySecretKeyHash(ctx, f.SecretKey)
	wantCode(t, err, frontdesk.ENotFound)
	_, err = s.TenantByPublicKey(ctx, "pk_nope")
	wantCode(t, err, frontdesk.ENotFound)
	got, err = s.TenantBySlug(ctx, "alpha-studio")
	must(t, err)
	if got.ID != f.Tenant.ID {
		t.Fatal("TenantBySlug")
	}
	dup := *f.Tenant
	dup.ID = frontdesk.NewID()
	wantCode(t, s.CreateTenant(ctx, &dup), frontdesk.EConflict)

	// CreateTenant fills in the defaults and sets them on the tenant.
	if f.Tenant.Version != 1 || len(f.Tenant.CalendarToken) < 32 || !reflect.DeepEqual(f.Tenant.Settings, frontdesk.DefaultSettings()) {
		t.Fatalf("created tenant: version %d, calendar token %q, settings %+v", f.Tenant.Version, f.Tenant.CalendarToken, f.Tenant.Settings)
	}
	if got.Version != 1 || got.CalendarToken != f.Tenant.CalendarToken || !reflect.DeepEqual(got.Settings, frontdesk.DefaultSettings()) {
		t.Fatalf("stored tenant: version %d, calendar token %q, settings %+v", got.Version, got.CalendarToken, got.Settings)
	}
	got, err = s.TenantByCalendarToken(ctx, f.Tenant.CalendarToken)
	must(t, err)
	if got.ID != f.Tenant.ID {
		t.Fatal("TenantByCalendarToken")
	}
	for _, token := range []string{"", "cal_nope", f.Tenant.PublicKey} {
		_, err = s.TenantByCalendarToken(ctx, token)
		wantCode(t, err, frontdesk.ENotFound)
	}

	// Settings and a calendar token given on creation are kept.
	settings := frontdesk.Settings{MinNoticeMinutes: 120, MaxDaysAhead: 30, RequirePhone: true,
		RefundPolicy: []frontdesk.RefundTier{{HoursBefore: 24, Percent: 100}}, DashboardEmails: []string{"desk@old.test"}}
	old := newTenant(t, s, "old-studio", f.Tenant.CreatedAt.Add(-time.Hour), func(tn *frontdesk.Tenant) {
		tn.Settings, tn.CalendarToken = settings, "cal_given"
	})
	got, err = s.TenantByCalendarToken(ctx, "cal_given")
	must(t, err)
	if got.ID != old.ID || !reflect.DeepEqual(got.Settings, settings) || !reflect.DeepEqual(old.Settings, settings) {
		t.Fatalf("given settings: stored %+v, want %+v", got.Settings, settings)
	}
	clash := &frontdesk.Tenant{ID: frontdesk.NewID(), Name: "Clash", Slug: "clash", TimeZone: "UTC", Currency: "usd",
		PublicKey: "pk_clash", SecretKeyHash: "h_clash", CalendarToken: "cal_given", CreatedAt: time.Now()}
	wantCode(t, s.CreateTenant(ctx, clash), frontdesk.EConflict)

	// ListTenants: every tenant, oldest first.
	later := newTenant(t, s, "later-studio", f.Tenant.CreatedAt.Add(time.Hour), nil)
	all, err := s.ListTenants(ctx)
	must(t, err)
	var ids []string
	for _, tn := range all {
		ids = append(ids, tn.ID)
	}
	if want := []string{old.ID, f.Tenant.ID, later.ID}; !reflect.DeepEqual(ids, want) {
		t.Fatalf("ListTenants = %v, want %v (oldest first)", ids, want)
	}
	if all[0].Settings.MaxDaysAhead != 30 || all[1].CalendarToken != f.Tenant.CalendarToken || all[2].Version != 1 {
		t.Fatalf("ListTenants rows = %+v", all)
	}
}

// newTenant creates a tenant with fresh keys, created at created; edit,
// when not nil, changes it before it is stored.
func newTenant(t *testing.T, s frontdesk.Store, slug string, created time.Time, edit func(*frontdesk.Tenant)) *frontdesk.Tenant {
	t.Helper()
	pk, sk := frontdesk.NewTenantKeys()
	tn := &frontdesk.Tenant{ID: frontdesk.NewID(), Name: slug, Slug: slug, ContactEmail: "owner@" + slug + ".test",
		TimeZone: "UTC", Currency: "usd", PublicKey: pk, SecretKeyHash: frontdesk.HashSecretKey(sk), CreatedAt: created}
	if edit != nil {
		edit(tn)
	}
	must(t, s.CreateTenant(ctx, tn))
	return tn
}

func testTenantUpdate(t *testing.T, s frontdesk.Store) {
	a := NewFixture(t, s, "Alpha", "UTC")
	b := NewFixture(t, s, "Beta", "UTC")
	up := *a.Tenant
	up.Name, up.Slug, up.ContactEmail, up.TimeZone, up.Currency = "Alpha Two", "alpha-two", "desk@alpha.test", "Europe/Paris", "EUR"
	up.AllowedOrigins = []string{"https://alpha.test", "https://www.alpha.test"}
	up.Info = frontdesk.BusinessInfo{Description: "Portraits.", FAQ: []frontdesk.FAQ{{Question: "Parking?", Answer: "Yes."}}}
	up.Settings = frontdesk.Settings{MinNoticeMinutes: 60, MaxDaysAhead: 90, RequirePhone: true, ReminderHoursBefore: 2,
		RefundPolicy: []frontdesk.RefundTier{{HoursBefore: 72, Percent: 100}}, RescheduleCutoffHours: 12, MaxReschedules: 1,
		MonthlyTokenBudgetCents: new(int64(0)), DashboardEmails: []string{"desk@alpha.test"}} // 0 (no model) is not read back as no budget
	// Not part of the profile: never written by UpdateTenant.
	up.PublicKey, up.SecretKeyHash, up.CalendarToken, up.StripeAccountID = "pk_other", "hash_other", "cal_other", "acct_other"
	up.CreatedAt = up.CreatedAt.Add(time.Hour)
	must(t, s.UpdateTenant(ctx, &up))
	if up.Version != 2 {
		t.Fatalf("UpdateTenant set Version %d, want 2", up.Version)
	}
	got, err := s.TenantByID(ctx, a.Tenant.ID)
	must(t, err)
	if got.Name != "Alpha Two" || got.Slug != "alpha-two" || got.ContactEmail != "desk@alpha.test" || got.TimeZone != "Europe/Paris" ||
		got.Currency != "eur" || !reflect.DeepEqual(got.AllowedOrigins, up.AllowedOrigins) || !reflect.DeepEqual(got.Info, up.Info) ||
		!reflect.DeepEqual(got.Settings, up.Settings) || got.Version != 2 {
		t.Fatalf("after UpdateTenant = %+v", got)
	}
	if got.PublicKey != a.Tenant.PublicKey || got.SecretKeyHash != a.Tenant.SecretKeyHash || got.CalendarToken != a.Tenant.CalendarToken ||
		got.StripeAccountID != "" || !got.CreatedAt.Equal(a.Tenant.CreatedAt) {
		t.Fatalf("UpdateTenant wrote more than the profile: %+v", got)
	}
	_, err = s.TenantBySlug(ctx, "alpha")
	wantCode(t, err, frontdesk.ENotFound)

	clash := up
	clash.Slug = b.Tenant.Slug
	wantCode(t, s.UpdateTenant(ctx, &clash), frontdesk.EConflict)
	ghost := up
	ghost.ID, ghost.Slug = frontdesk.NewID(), "ghost"
	wantCode(t, s.UpdateTenant(ctx, &ghost), frontdesk.ENotFound)

	must(t, s.BumpTenantVersion(ctx, a.Tenant.ID))
	wantCode(t, s.BumpTenantVersion(ctx, frontdesk.NewID()), frontdesk.ENotFound)
	got, err = s.TenantByID(ctx, a.Tenant.ID)
	must(t, err)
	if got.Version != 3 || got.Slug != "alpha-two" {
		t.Fatalf("after a refused update and a bump: version %d slug %q, want 3 and alpha-two", got.Version, got.Slug)
	}
	other, err := s.TenantByID(ctx, b.Tenant.ID)
	must(t, err)
	if other.Version != 1 || other.Name != "Beta" {
		t.Fatalf("another tenant changed: %+v", other)
	}
}

func testTenantKeys(t *testing.T, s frontdesk.Store) {
	a := NewFixture(t, s, "Alpha", "UTC")
	b := NewFixture(t, s, "Beta", "UTC")
	cases := []struct {
		kind     frontdesk.KeyKind
		old, new string
		taken    string // b's key of this kind
		find     func(context.Context, string) (*frontdesk.Tenant, error)
	}{
		{frontdesk.KeySecret, a.Tenant.SecretKeyHash, frontdesk.HashSecretKey("sk_new"), b.Tenant.SecretKeyHash, s.TenantBySecretKeyHash},
		{frontdesk.KeyPublishable, a.Tenant.PublicKey, "pk_new_" + frontdesk.NewID(), b.Tenant.PublicKey, s.TenantByPublicKey},
		{frontdesk.KeyCalendar, a.Tenant.CalendarToken, frontdesk.NewCalendarToken(), b.Tenant.CalendarToken, s.TenantByCalendarToken},
	}
	for _, tc := range cases {
		t.Run(string(tc.kind), func(t *testing.T) {
			must(t, s.SetTenantKey(ctx, a.Tenant.ID, tc.kind, tc.new))
			got, err := tc.find(ctx, tc.new)
			must(t, err)
			if got.ID != a.Tenant.ID {
				t.Fatalf("the new key finds %s", got.ID)
			}
			_, err = tc.find(ctx, tc.old)
			wantCode(t, err, frontdesk.ENotFound)
			wantCode(t, s.SetTenantKey(ctx, a.Tenant.ID, tc.kind, tc.taken), frontdesk.EConflict)
			got, err = tc.find(ctx, tc.taken)
			must(t, err)
			if got.ID != b.Tenant.ID {
				t.Fatal("another tenant's key changed hands")
			}
			wantCode(t, s.SetTenantKey(ctx, frontdesk.NewID(), tc.kind, tc.new+"x"), frontdesk.ENotFound)
		})
	}
	if err := s.SetTenantKey(ctx, a.Tenant.ID, "bogus", "x"); err == nil {
		t.Fatal("SetTenantKey accepted an unknown kind")
	}
	got, err := s.TenantByID(ctx, a.Tenant.ID)
	must(t, err)
	if got.PublicKey != cases[1].new || got.SecretKeyHash != cases[0].new || got.CalendarToken != cases[2].new {
		t.Fatalf("keys after rotation = %q %q %q", got.PublicKey, got.SecretKeyHash, got.CalendarToken)
	}
}

func testCatalog(t *testing.T, s frontdesk.Store) {
	a := NewFixture(t, s, "Alpha", "UTC")
	b := NewFixture(t, s, "Beta", "UTC")
	p, err := s.Package(ctx, a.Tenant.ID, "portrait")
	must(t, err)
	if p.ID != a.Portrait.ID || p.DurationMinutes != 60 || p.BufferMinutes != 15 || p.BookingType != frontdesk.BookingTimeslot || !p.Active {
		t.Fatalf("Package by slug = %+v", p)
	}
	p, err = s.Package(ctx, a.Tenant.ID, a.Wedding.ID)
	must(t, err)
	if p.Slug != "wedding" || p.PriceCents != 150000 {
		t.Fatalf("Package by id = %+v", p)
	}
	_, err = s.Package(ctx, a.Tenant.ID, b.Wedding.ID)
	wantCode(t, err, frontdesk.ENotFound)
	active, err := s.ListPackages(ctx, a.Tenant.ID, true)
	must(t, err)
	all, err := s.ListPackages(ctx, a.Tenant.ID, false)
	must(t, err)
	if len(active) != 3 || len(all) != 4 {
		t.Fatalf("ListPackages active=%d all=%d, want 3 and 4", len(active), len(all))
	}
	for _, p := range all {
		if p.TenantID != a.Tenant.ID {
			t.Fatal("ListPackages leaked another tenant's package")
		}
	}
	rules, err := s.ListAvailabilityRules(ctx, a.Tenant.ID)
	must(t, err)
	if len(rules) != 6 || rules[0].Weekday != time.Monday || rules[0].Start != 540 || rules[0].End != 1020 {
		t.Fatalf("rules = %+v", rules)
	}
	bl, err := s.ListBlackoutDates(ctx, a.Tenant.ID, frontdesk.Date{Year: 2026, Month: 12, Day: 1}, frontdesk.Date{Year: 2026, Month: 12, Day: 31})
	must(t, err)
	if len(bl) != 1 || bl[0].Date.String() != "2026-12-25" {
		t.Fatalf("blackouts = %+v", bl)
	}
	bl, err = s.ListBlackoutDates(ctx, a.Tenant.ID, frontdesk.Date{Year: 2026, Month: 12, Day: 26}, frontdesk.Date{Year: 2026, Month: 12, Day: 31})
	must(t, err)
	if len(bl) != 0 {
		t.Fatalf("blackouts outside range = %+v", bl)
	}
	dup := *a.Portrait
	dup.ID = frontdesk.NewID()
	wantCode(t, s.CreatePackage(ctx, &dup), frontdesk.EConflict)
}

func slugs(ps []*frontdesk.Package) []string {
	var out []string
	for _, p := range ps {
		out = append(out, p.Slug)
	}
	return out
}

func testCatalogEdit(t *testing.T, s frontdesk.Store) {
	a := NewFixture(t, s, "Alpha", "UTC")
	b := NewFixture(t, s, "Beta", "UTC")
	w := *a.Wedding
	w.Slug, w.Name, w.Description, w.PriceCents, w.Currency = "weddings", "Weddings", "All day.", 160000, "eur"
	w.BookingType, w.DurationMinutes, w.BufferMinutes, w.Active, w.Category, w.Position = frontdesk.BookingTimeslot, 480, 60, false, "events", 1
	w.CreatedAt = w.CreatedAt.Add(time.Hour) // never written
	must(t, s.UpdatePackage(ctx, &w))
	got, err := s.Package(ctx, a.Tenant.ID, "weddings")
	must(t, err)
	want := w
	want.CreatedAt = a.Wedding.CreatedAt
	if !got.CreatedAt.Equal(want.CreatedAt) {
		t.Fatalf("UpdatePackage wrote created_at %v", got.CreatedAt)
	}
	got.CreatedAt = want.CreatedAt
	if !reflect.DeepEqual(*got, want) {
		t.Fatalf("after UpdatePackage\n got %+v\nwant %+v", *got, want)
	}
	_, err = s.Package(ctx, a.Tenant.ID, "wedding")
	wantCode(t, err, frontdesk.ENotFound)

	// Position first, then dearest first; archived packages are never listed.
	list := func(activeOnly bool) []string {
		t.Helper()
		ps, err := s.ListPackages(ctx, a.Tenant.ID, activeOnly)
		must(t, err)
		return slugs(ps)
	}
	if got, want := list(false), []string{"portrait", "retired", "consult", "weddings"}; !reflect.DeepEqual(got, want) {
		t.Fatalf("ListPackages = %v, want %v", got, want)
	}
	r := *a.Retired
	r.Archived = true
	must(t, s.UpdatePackage(ctx, &r))
	if got, want := list(false), []string{"portrait", "consult", "weddings"}; !reflect.DeepEqual(got, want) {
		t.Fatalf("ListPackages with one archived = %v, want %v", got, want)
	}
	if got, want := list(true), []string{"portrait", "consult"}; !reflect.DeepEqual(got, want) {
		t.Fatalf("ListPackages active = %v, want %v", got, want)
	}
	archived, err := s.Package(ctx, a.Tenant.ID, "retired")
	must(t, err)
	if !archived.Archived {
		t.Fatal("Package does not find an archived package as archived")
	}

	clash := *a.Free
	clash.Slug = "portrait"
	wantCode(t, s.UpdatePackage(ctx, &clash), frontdesk.EConflict)
	theirs := *b.Portrait
	theirs.TenantID, theirs.Name = a.Tenant.ID, "Stolen"
	wantCode(t, s.UpdatePackage(ctx, &theirs), frontdesk.ENotFound)
	ghost := *a.Free
	ghost.ID = frontdesk.NewID()
	wantCode(t, s.UpdatePackage(ctx, &ghost), frontdesk.ENotFound)
	if p, err := s.Package(ctx, b.Tenant.ID, b.Portrait.ID); err != nil || p.Name != "Portrait Session" {
		t.Fatalf("another tenant's package = %+v, %v", p, err)
	}

	// Bookings of any status keep a package from being deleted.
	c := a.Customer(t, s, "ann@example.com")
	must(t, s.CreateBooking(ctx, a.Booking(a.Portrait, c, time.Date(2026, 12, 15, 10, 0, 0, 0, time.UTC))))
	canceled := a.Booking(a.Retired, c, time.Date(2026, 12, 15, 14, 0, 0, 0, time.UTC))
	canceled.Status = frontdesk.StatusCanceled
	must(t, s.CreateBooking(ctx, canceled))
	for _, tc := range []struct {
		name         string
		tenant, pkg  string
		wantBookings bool
	}{
		{"booked", a.Tenant.ID, a.Portrait.ID, true},
		{"canceled booking", a.Tenant.ID, a.Retired.ID, true},
		{"unbooked", a.Tenant.ID, a.Free.ID, false},
		{"another tenant's", b.Tenant.ID, a.Portrait.ID, false},
		{"unknown", a.Tenant.ID, frontdesk.NewID(), false},
	} {
		has, err := s.PackageHasBookings(ctx, tc.tenant, tc.pkg)
		must(t, err)
		if has != tc.wantBookings {
			t.Errorf("PackageHasBookings %s = %v", tc.name, has)
		}
	}
	wantCode(t, s.DeletePackage(ctx, a.Tenant.ID, a.Portrait.ID), frontdesk.EConflict)
	wantCode(t, s.DeletePackage(ctx, a.Tenant.ID, a.Retired.ID), frontdesk.EConflict)
	wantCode(t, s.DeletePackage(ctx, b.Tenant.ID, a.Free.ID), frontdesk.ENotFound)
	for _, id := range []string{a.Portrait.ID, a.Retired.ID, a.Free.ID} {
		if _, err := s.Package(ctx, a.Tenant.ID, id); err != nil {
			t.Fatalf("a refused delete removed the package: %v", err)
		}
	}
	must(t, s.DeletePackage(ctx, a.Tenant.ID, a.Free.ID))
	_, err = s.Package(ctx, a.Tenant.ID, a.Free.ID)
	wantCode(t, err, frontdesk.ENotFound)
	wantCode(t, s.DeletePackage(ctx, a.Tenant.ID, a.Free.ID), frontdesk.ENotFound)
	// A refused delete inside a transaction is an error the caller sees.
	err = s.WithTx(ctx, func(tx frontdesk.Tx) error { return tx.DeletePackage(ctx, a.Tenant.ID, a.Portrait.ID) })
	wantCode(t, err, frontdesk.EConflict)
	if ps, err := s.ListPackages(ctx, b.Tenant.ID, false); err != nil || len(ps) != 4 {
		t.Fatalf("another tenant's packages = %d, %v; want 4", len(ps), err)
	}
}

func testAvailabilityEdit(t *testing.T, s frontdesk.Store) {
	a := NewFixture(t, s, "Alpha", "UTC")
	b := NewFixture(t, s, "Beta", "UTC")
	rulesOf := func(tenantID string) []frontdesk.AvailabilityRule {
		t.Helper()
		rs, err := s.ListAvailabilityRules(ctx, tenantID)
		must(t, err)
		return rs
	}
	kept := frontdesk.NewID()
	must(t, s.ReplaceAvailabilityRules(ctx, a.Tenant.ID, []frontdesk.AvailabilityRule{
		{Weekday: time.Saturday, Start: 600, End: 840, TenantID: b.Tenant.ID}, // the tenant comes from the argument
		{ID: kept, Weekday: time.Tuesday, Start: 780, End: 1020},
		{Weekday: time.Tuesday, Start: 600, End: 720},
	}))
	got := rulesOf(a.Tenant.ID)
	if len(got) != 3 {
		t.Fatalf("%d rules after replace, want 3: %+v", len(got), got)
	}
	type span struct {
		wd         time.Weekday
		start, end int
	}
	wantSpans := []span{{time.Tuesday, 600, 720}, {time.Tuesday, 780, 1020}, {time.Saturday, 600, 840}}
	seen := map[string]bool{}
	for i, r := range got {
		if (span{r.Weekday, r.Start, r.End}) != wantSpans[i] || r.TenantID != a.Tenant.ID || !frontdesk.ValidID(r.ID) || seen[r.ID] {
			t.Fatalf("rule %d = %+v, want %+v of tenant %s with its own id", i, r, wantSpans[i], a.Tenant.ID)
		}
		seen[r.ID] = true
	}
	if got[1].ID != kept {
		t.Fatalf("a given id was replaced: %s", got[1].ID)
	}
	if n := len(rulesOf(b.Tenant.ID)); n != 6 {
		t.Fatalf("another tenant has %d rules, want its 6", n)
	}

	// The week changes at once or not at all.
	boom := fmt.Errorf("boom")
	err := s.WithTx(ctx, func(tx frontdesk.Tx) error {
		must(t, tx.ReplaceAvailabilityRules(ctx, a.Tenant.ID, []frontdesk.AvailabilityRule{{Weekday: time.Sunday, Start: 0, End: 60}}))
		return boom
	})
	if err != boom {
		t.Fatalf("WithTx = %v", err)
	}
	bad := []frontdesk.AvailabilityRule{{Weekday: time.Sunday, Start: 0, End: 60}, {Weekday: time.Monday, Start: 700, End: 600}}
	if err := s.ReplaceAvailabilityRules(ctx, a.Tenant.ID, bad); err == nil {
		t.Fatal("a rule that ends before it starts was stored")
	}
	if n := len(rulesOf(a.Tenant.ID)); n != 3 {
		t.Fatalf("%d rules after failed replaces, want the 3 before", n)
	}
	must(t, s.ReplaceAvailabilityRules(ctx, a.Tenant.ID, nil))
	if n := len(rulesOf(a.Tenant.ID)); n != 0 {
		t.Fatalf("%d rules after replacing with none", n)
	}

	// Days off.
	dec := func(d int) frontdesk.Date { return frontdesk.Date{Year: 2026, Month: 12, Day: d} }
	daysOff := func(tenantID string) []frontdesk.BlackoutDate {
		t.Helper()
		bl, err := s.ListBlackoutDates(ctx, tenantID, dec(1), dec(31))
		must(t, err)
		return bl
	}
	xmas := daysOff(a.Tenant.ID)[0]
	wantCode(t, s.CreateBlackoutDate(ctx, &frontdesk.BlackoutDate{ID: frontdesk.NewID(), TenantID: a.Tenant.ID, Date: dec(25)}), frontdesk.EConflict)
	wantCode(t, s.DeleteBlackoutDate(ctx, b.Tenant.ID, xmas.ID), frontdesk.ENotFound)
	must(t, s.DeleteBlackoutDate(ctx, a.Tenant.ID, xmas.ID))
	if bl := daysOff(a.Tenant.ID); len(bl) != 0 {
		t.Fatalf("days off after delete = %+v", bl)
	}
	wantCode(t, s.DeleteBlackoutDate(ctx, a.Tenant.ID, xmas.ID), frontdesk.ENotFound)
	if bl := daysOff(b.Tenant.ID); len(bl) != 1 {
		t.Fatalf("another tenant's days off = %+v", bl)
	}
	must(t, s.CreateBlackoutDate(ctx, &frontdesk.BlackoutDate{ID: frontdesk.NewID(), TenantID: a.Tenant.ID, Date: dec(25), Reason: "again"}))
}

func testCustomers(t *testing.T, s frontdesk.Store) {
	a := NewFixture(t, s, "Alpha", "UTC")
	b := NewFixture(t, s, "Beta", "UTC")
	c1, err := s.FindOrCreateCustomer(ctx, &frontdesk.Customer{ID: frontdesk.NewID(), TenantID: a.Tenant.ID, Email: "Ann@Example.com", Name: "Ann", CreatedAt: time.Now()})
	must(t, err)
	c2, err := s.FindOrCreateCustomer(ctx, &frontdesk.Customer{ID: frontdesk.NewID(), TenantID: a.Tenant.ID, Email: "ann@example.COM", Name: "Other", Phone: "+1 555 0100", CreatedAt: time.Now()})
	must(t, err)
	if c1.ID != c2.ID || c2.Name != "Ann" || c2.Email != "Ann@Example.com" || c2.Phone != "+1 555 0100" {
		t.Fatalf("same email made %+v and %+v", c1, c2)
	}
	c3, err := s.FindOrCreateCustomer(ctx, &frontdesk.Customer{ID: frontdesk.NewID(), TenantID: b.Tenant.ID, Email: "ann@example.com", Name: "Ann B", CreatedAt: time.Now()})
	must(t, err)
	if c3.ID == c1.ID || c3.TenantID != b.Tenant.ID {
		t.Fatal("customers are not tenant-scoped")
	}
}

func testCustomerList(t *testing.T, s frontdesk.Store) {
	a := NewFixture(t, s, "Alpha", "UTC")
	b := NewFixture(t, s, "Beta", "UTC")
	base := time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)
	mk := func(f *Fixture, email, name, phone string, after time.Duration) *frontdesk.Customer {
		c, err := s.FindOrCreateCustomer(ctx, &frontdesk.Customer{ID: frontdesk.NewID(), TenantID: f.Tenant.ID,
			Email: email, Name: name, Phone: phone, CreatedAt: base.Add(after)})
		must(t, err)
		return c
	}
	ann := mk(a, "Ann@Example.com", "Ann Lee", "+1 555 0100", 0)
	bob := mk(a, "bob@example.com", "Bob Stone", "", time.Second)
	cat := mk(a, "cat_1@example.com", "Cat 100% Real", "", time.Second) // ties with bob
	dan := mk(a, "dan@example.org", "Dan", "+44 20 7946 0000", 2*time.Second)
	eve := mk(a, "catx1@example.com", "Eve", "", 3*time.Second)
	theirs := mk(b, "ann@example.com", "Ann Other", "+1 555 0100", 4*time.Second)

	got, err := s.Customer(ctx, a.Tenant.ID, ann.ID)
	must(t, err)
	if *got != *ann || got.Email != "Ann@Example.com" || got.Phone != "+1 555 0100" || !got.CreatedAt.Equal(base) {
		t.Fatalf("Customer = %+v, want %+v", got, ann)
	}
	_, err = s.Customer(ctx, b.Tenant.ID, ann.ID)
	wantCode(t, err, frontdesk.ENotFound)
	_, err = s.Customer(ctx, a.Tenant.ID, frontdesk.NewID())
	wantCode(t, err, frontdesk.ENotFound)

	// Newest first, ties by id, a page at a time.
	want := []*frontdesk.Customer{ann, bob, cat, dan, eve}
	sort.Slice(want, func(i, j int) bool {
		if !want[i].CreatedAt.Equal(want[j].CreatedAt) {
			return want[i].CreatedAt.After(want[j].CreatedAt)
		}
		return want[i].ID > want[j].ID
	})
	var paged []string
	cursor := ""
	for pages := 0; ; pages++ {
		if pages > 5 {
			t.Fatal("pagination does not end")
		}
		page, err := s.ListCustomers(ctx, a.Tenant.ID, frontdesk.CustomerFilter{Limit: 2, Cursor: cursor})
		must(t, err)
		if len(page.Customers) > 2 {
			t.Fatalf("a page of %d, limit 2", len(page.Customers))
		}
		for _, c := range page.Customers {
			paged = append(paged, c.ID)
		}
		if page.NextCursor == "" {
			break
		}
		cursor = page.NextCursor
	}
	var wantIDs []string
	for _, c := range want {
		wantIDs = append(wantIDs, c.ID)
	}
	if !reflect.DeepEqual(paged, wantIDs) {
		t.Fatalf("paged customers %v, want %v", paged, wantIDs)
	}
	page, err := s.ListCustomers(ctx, a.Tenant.ID, frontdesk.CustomerFilter{Limit: 1000})
	must(t, err)
	if len(page.Customers) != 5 || page.NextCursor != "" || page.Customers[0].ID != eve.ID {
		t.Fatalf("one page of all = %d customers, cursor %q", len(page.Customers), page.NextCursor)
	}

	cases := []struct {
		name, query string
		want        []*frontdesk.Customer
	}{
		{"name, any case", "ANN l", []*frontdesk.Customer{ann}},
		{"email, any case", "EXAMPLE.ORG", []*frontdesk.Customer{dan}},
		{"phone", "555 01", []*frontdesk.Customer{ann}},
		{"percent is literal", "100%", []*frontdesk.Customer{cat}},
		{"lone percent", "%", []*frontdesk.Customer{cat}},
		{"underscore is literal", "cat_1", []*frontdesk.Customer{cat}},
		{"backslash is literal", `\`, nil},
		{"several", "example.com", []*frontdesk.Customer{eve, bob, cat, ann}},
		{"none", "zed", nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			page, err := s.ListCustomers(ctx, a.Tenant.ID, frontdesk.CustomerFilter{Query: tc.query})
			must(t, err)
			got := map[string]bool{}
			for _, c := range page.Customers {
				if c.TenantID != a.Tenant.ID || c.ID == theirs.ID {
					t.Fatal("ListCustomers leaked another tenant's customer")
				}
				got[c.ID] = true
			}
			if len(got) != len(tc.want) {
				t.Fatalf("query %q found %d customers, want %d", tc.query, len(got), len(tc.want))
			}
			for _, c := range tc.want {
				if !got[c.ID] {
					t.Fatalf("query %q missed %s", tc.query, c.Name)
				}
			}
		})
	}
	// A query pages like the full list.
	page, err = s.ListCustomers(ctx, a.Tenant.ID, frontdesk.CustomerFilter{Query: "example.com", Limit: 3})
	must(t, err)
	next, err := s.ListCustomers(ctx, a.Tenant.ID, frontdesk.CustomerFilter{Query: "example.com", Limit: 3, Cursor: page.NextCursor})
	must(t, err)
	if len(page.Customers) != 3 || len(next.Customers) != 1 || next.NextCursor != "" {
		t.Fatalf("query pages of %d and %d", len(page.Customers), len(next.Customers))
	}
	_, err = s.ListCustomers(ctx, a.Tenant.ID, frontdesk.CustomerFilter{Cursor: "garbage!"})
	wantCode(t, err, frontdesk.EInvalid)
	var fe *frontdesk.Error
	if !errors.As(err, &fe) || len(fe.Details) != 1 || fe.Details[0].Field != "cursor" {
		t.Fatalf("bad cursor error = %#v, want one detail on the field cursor", err)
	}
	page, err = s.ListCustomers(ctx, b.Tenant.ID, frontdesk.CustomerFilter{})
	must(t, err)
	if len(page.Customers) != 1 || page.Customers[0].ID != theirs.ID {
		t.Fatalf("another tenant's customers = %+v", page.Customers)
	}
}

func testBookings(t *testing.T, s frontdesk.Store) {
	a := NewFixture(t, s, "Alpha", "America/New_York")
	b := NewFixture(t, s, "Beta", "UTC")
	c := a.Customer(t, s, "ann@example.com")
	start := time.Date(2026, 12, 15, 15, 0, 0, 0, time.UTC)
	bk := a.Booking(a.Portrait, c, start)
	bk.Notes = "<b>bring dog</b>"
	must(t, s.CreateBooking(ctx, bk))
	got, err := s.Booking(ctx, a.Tenant.ID, bk.ID)
	must(t, err)
	if got.ConfirmationCode != bk.ConfirmationCode || got.Status != frontdesk.StatusPending || got.PackageName != "Portrait Session" ||
		got.Customer.Email != "ann@example.com" || got.StartAt == nil || !got.StartAt.Equal(start) ||
		!got.HoldUntil.Equal(start.Add(75*time.Minute)) || got.Date.String() != "2026-12-15" || got.Notes != "<b>bring dog</b>" || got.PaidAt != nil {
		t.Fatalf("Booking = %+v", got)
	}
	_, err = s.Booking(ctx, b.Tenant.ID, bk.ID)
	wantCode(t, err, frontdesk.ENotFound)
	_, err = s.BookingByCode(ctx, b.Tenant.ID, bk.ConfirmationCode)
	wantCode(t, err, frontdesk.ENotFound)
	got, err = s.BookingByCode(ctx, a.Tenant.ID, bk.ConfirmationCode)
	must(t, err)
	if got.ID != bk.ID {
		t.Fatal("BookingByCode")
	}
	paid := time.Date(2026, 12, 1, 10, 0, 0, 123000, time.UTC)
	got.Status, got.PaidAt, got.PaymentIntentID, got.CheckoutSessionID = frontdesk.StatusConfirmed, &paid, "pi_1", "cs_1"
	got.UpdatedAt = paid
	must(t, s.UpdateBooking(ctx, got))
	got, err = s.BookingByCheckoutSession(ctx, "cs_1")
	must(t, err)
	if got.Status != frontdesk.StatusConfirmed || got.PaidAt == nil || !got.PaidAt.Equal(paid) || got.PaymentIntentID != "pi_1" {
		t.Fatalf("after update = %+v", got)
	}
	other := *got
	other.TenantID = b.Tenant.ID
	wantCode(t, s.UpdateBooking(ctx, &other), frontdesk.ENotFound)
	live, err := s.LiveBookings(ctx, a.Tenant.ID, frontdesk.Date{Year: 2026, Month: 12, Day: 15}, frontdesk.Date{Year: 2026, Month: 12, Day: 15})
	must(t, err)
	if len(live) != 1 {
		t.Fatalf("LiveBookings = %d", len(live))
	}
	live, err = s.LiveBookings(ctx, b.Tenant.ID, frontdesk.Date{Year: 2026, Month: 12, Day: 1}, frontdesk.Date{Year: 2026, Month: 12, Day: 31})
	must(t, err)
	if len(live) != 0 {
		t.Fatal("LiveBookings leaked another tenant's booking")
	}
	dup := a.Booking(a.Free, c, start.Add(48*time.Hour))
	dup.ConfirmationCode = bk.ConfirmationCode
	wantCode(t, s.CreateBooking(ctx, dup), frontdesk.EConflict)
}

func testBookingPagination(t *testing.T, s frontdesk.Store) {
	a := NewFixture(t, s, "Alpha", "UTC")
	b := NewFixture(t, s, "Beta", "UTC")
	c := a.Customer(t, s, "ann@example.com")
	base := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	ids := map[string]bool{}
	for i := 0; i < 7; i++ {
		bk := a.Booking(a.Free, c, base.Add(time.Duration(i)*24*time.Hour))
		bk.CreatedAt = base.Add(time.Duration(i%3) * time.Second) // ties on created_at
		if i == 6 {
			bk.Status = frontdesk.StatusCanceled
		}
		must(t, s.CreateBooking(ctx, bk))
		ids[bk.ID] = true
	}
	bc := b.Customer(t, s, "bob@example.com")
	must(t, s.CreateBooking(ctx, b.Booking(b.Free, bc, base)))
	seen := map[string]bool{}
	cursor := ""
	for pages := 0; ; pages++ {
		if pages > 5 {
			t.Fatal("pagination does not end")
		}
		page, err := s.ListBookings(ctx, a.Tenant.ID, frontdesk.BookingFilter{Limit: 3, Cursor: cursor})
		must(t, err)
		for _, bk := range page.Bookings {
			if seen[bk.ID] || !ids[bk.ID] {
				t.Fatalf("page has %s twice or from elsewhere", bk.ID)
			}
			seen[bk.ID] = true
		}
		if page.NextCursor == "" {
			break
		}
		cursor = page.NextCursor
	}
	if len(seen) != 7 {
		t.Fatalf("paged through %d bookings, want 7", len(seen))
	}
	page, err := s.ListBookings(ctx, a.Tenant.ID, frontdesk.BookingFilter{Status: frontdesk.StatusCanceled})
	must(t, err)
	if len(page.Bookings) != 1 || page.Bookings[0].Status != frontdesk.StatusCanceled {
		t.Fatalf("status filter returned %d bookings (%v), want the one CANCELED", len(page.Bookings), page.Bookings)
	}
	from, to := frontdesk.Date{Year: 2026, Month: 12, Day: 2}, frontdesk.Date{Year: 2026, Month: 12, Day: 4}
	page, err = s.ListBookings(ctx, a.Tenant.ID, frontdesk.BookingFilter{From: &from, To: &to})
	must(t, err)
	if len(page.Bookings) != 3 {
		t.Fatalf("date filter: %d, want 3", len(page.Bookings))
	}
	_, err = s.ListBookings(ctx, a.Tenant.ID, frontdesk.BookingFilter{Cursor: "garbage!"})
	wantCode(t, err, frontdesk.EInvalid)

	// By customer.
	c2 := a.Customer(t, s, "cy@example.com")
	mine := map[string]bool{}
	for i := 0; i < 2; i++ {
		bk := a.Booking(a.Free, c2, time.Date(2026, 12, 20+i, 9, 0, 0, 0, time.UTC))
		must(t, s.CreateBooking(ctx, bk))
		mine[bk.ID] = true
	}
	page, err = s.ListBookings(ctx, a.Tenant.ID, frontdesk.BookingFilter{CustomerID: c2.ID})
	must(t, err)
	if len(page.Bookings) != 2 || !mine[page.Bookings[0].ID] || !mine[page.Bookings[1].ID] {
		t.Fatalf("customer filter returned %d bookings, want cy's 2", len(page.Bookings))
	}
	page, err = s.ListBookings(ctx, a.Tenant.ID, frontdesk.BookingFilter{CustomerID: c.ID, Status: frontdesk.StatusCanceled})
	must(t, err)
	if len(page.Bookings) != 1 || page.Bookings[0].CustomerID != c.ID {
		t.Fatalf("customer and status filter returned %d bookings, want 1", len(page.Bookings))
	}
	page, err = s.ListBookings(ctx, a.Tenant.ID, frontdesk.BookingFilter{CustomerID: bc.ID})
	must(t, err)
	if len(page.Bookings) != 0 {
		t.Fatal("customer filter leaked another tenant's bookings")
	}
}

func testDateDoubleBooking(t *testing.T, s frontdesk.Store) {
	a := NewFixture(t, s, "Alpha", "UTC")
	b := NewFixture(t, s, "Beta", "UTC")
	c := a.Customer(t, s, "ann@example.com")
	day := time.Date(2026, 12, 19, 0, 0, 0, 0, time.UTC)
	first := a.Booking(a.Wedding, c, day)
	must(t, s.CreateBooking(ctx, first))
	wantCode(t, s.CreateBooking(ctx, a.Booking(a.Wedding, c, day)), frontdesk.ESlotUnavailable)
	must(t, s.CreateBooking(ctx, b.Booking(b.Wedding, b.Customer(t, s, "x@example.com"), day)))
	first.Status = frontdesk.StatusExpired
	must(t, s.UpdateBooking(ctx, first))
	must(t, s.CreateBooking(ctx, a.Booking(a.Wedding, c, day)))
	first.Status = frontdesk.StatusPending
	wantCode(t, s.UpdateBooking(ctx, first), frontdesk.ESlotUnavailable)
}

func testTimeslotOverlap(t *testing.T, s frontdesk.Store) {
	a := NewFixture(t, s, "Alpha", "UTC")
	b := NewFixture(t, s, "Beta", "UTC")
	c := a.Customer(t, s, "ann@example.com")
	start := time.Date(2026, 12, 15, 10, 0, 0, 0, time.UTC)
	first := a.Booking(a.Portrait, c, start) // holds 10:00-11:15
	must(t, s.CreateBooking(ctx, first))
	cases := []struct {
		name string
		p    *frontdesk.Package
		at   time.Time
		want string
	}{
		{"same start", a.Portrait, start, frontdesk.ESlotUnavailable},
		{"inside", a.Free, start.Add(30 * time.Minute), frontdesk.ESlotUnavailable},
		{"in buffer", a.Free, start.Add(65 * time.Minute), frontdesk.ESlotUnavailable},
		{"ends in it", a.Portrait, start.Add(-30 * time.Minute), frontdesk.ESlotUnavailable},
		{"adjacent after buffer", a.Free, start.Add(75 * time.Minute), ""},
		{"adjacent before", a.Free, start.Add(-30 * time.Minute), ""},
	}
	for _, tc := range cases {
		err := s.CreateBooking(ctx, a.Booking(tc.p, c, tc.at))
		if tc.want == "" && err != nil {
			t.Errorf("%s: %v", tc.name, err)
		}
		if tc.want != "" && !frontdesk.IsCode(err, tc.want) {
			t.Errorf("%s: got %v, want %s", tc.name, err, tc.want)
		}
	}
	must(t, s.CreateBooking(ctx, b.Booking(b.Portrait, b.Customer(t, s, "x@example.com"), start)))
	first.Status = frontdesk.StatusCanceled
	must(t, s.UpdateBooking(ctx, first))
	second := a.Booking(a.Portrait, c, start)
	must(t, s.CreateBooking(ctx, second))
	first.Status = frontdesk.StatusConfirmed
	wantCode(t, s.UpdateBooking(ctx, first), frontdesk.ESlotUnavailable)
}

// testRace: 200 goroutines race for one slot; the database lets exactly one win.
func testRace(t *testing.T, s frontdesk.Store, timeslot bool) {
	a := NewFixture(t, s, "Alpha", "UTC")
	c := a.Customer(t, s, "ann@example.com")
	p := a.Wedding
	if timeslot {
		p = a.Portrait
	}
	start := time.Date(2026, 12, 16, 10, 0, 0, 0, time.UTC)
	const n = 200
	var wins, refused atomic.Int32
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			// Stagger slot starts for timeslots so that most overlap only partly.
			at := start
			if timeslot {
				at = start.Add(time.Duration(i%5) * 10 * time.Minute)
			}
			err := s.WithTx(ctx, func(tx frontdesk.Tx) error { return tx.CreateBooking(ctx, a.Booking(p, c, at)) })
			switch {
			case err == nil:
				wins.Add(1)
			case frontdesk.IsCode(err, frontdesk.ESlotUnavailable):
				refused.Add(1)
			default:
				errs <- err
			}
		}(i)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Errorf("unexpected error: %v", err)
	}
	if wins.Load() != 1 || refused.Load() != n-1 {
		t.Fatalf("wins=%d refused=%d, want 1 and %d", wins.Load(), refused.Load(), n-1)
	}
	live, err := s.LiveBookings(ctx, a.Tenant.ID, frontdesk.DateOf(start), frontdesk.DateOf(start))
	must(t, err)
	if len(live) != 1 {
		t.Fatalf("%d live bookings, want 1", len(live))
	}
}

func testTxRollback(t *testing.T, s frontdesk.Store) {
	a := NewFixture(t, s, "Alpha", "UTC")
	c := a.Customer(t, s, "ann@example.com")
	bk := a.Booking(a.Portrait, c, time.Date(2026, 12, 15, 10, 0, 0, 0, time.UTC))
	boom := fmt.Errorf("boom")
	err := s.WithTx(ctx, func(tx frontdesk.Tx) error {
		must(t, tx.CreateBooking(ctx, bk))
		return boom
	})
	if err != boom {
		t.Fatalf("WithTx = %v", err)
	}
	_, err = s.Booking(ctx, a.Tenant.ID, bk.ID)
	wantCode(t, err, frontdesk.ENotFound)
}

func testChat(t *testing.T, s frontdesk.Store) {
	a := NewFixture(t, s, "Alpha", "UTC")
	b := NewFixture(t, s, "Beta", "UTC")
	now := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	cs := &frontdesk.ChatSession{ID: frontdesk.NewID(), TenantID: a.Tenant.ID, CreatedAt: now, UpdatedAt: now}
	must(t, s.CreateSession(ctx, cs))
	_, err := s.Session(ctx, b.Tenant.ID, cs.ID)
	wantCode(t, err, frontdesk.ENotFound)
	for i := 0; i < 5; i++ {
		must(t, s.AppendMessage(ctx, &frontdesk.ChatMessage{ID: frontdesk.NewID(), SessionID: cs.ID, TenantID: a.Tenant.ID,
			Role: frontdesk.RoleUser, Content: fmt.Sprint("m", i), CreatedAt: now, ToolCalls: json.RawMessage(`[{"x":1}]`)}))
	}
	msgs, err := s.RecentMessages(ctx, a.Tenant.ID, cs.ID, 3)
	must(t, err)
	if len(msgs) != 3 || msgs[0].Content != "m2" || msgs[2].Content != "m4" || string(msgs[0].ToolCalls) != `[{"x":1}]` {
		t.Fatalf("RecentMessages = %v", msgs)
	}
	msgs, err = s.RecentMessages(ctx, b.Tenant.ID, cs.ID, 10)
	must(t, err)
	if len(msgs) != 0 {
		t.Fatal("RecentMessages leaked across tenants")
	}
	// Messages appended at once all land, each with its own place.
	var wg sync.WaitGroup
	for i := 0; i < 20; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			if err := s.AppendMessage(ctx, &frontdesk.ChatMessage{ID: frontdesk.NewID(), SessionID: cs.ID, TenantID: a.Tenant.ID,
				Role: frontdesk.RoleAssistant, Content: fmt.Sprint("c", i), CreatedAt: now}); err != nil {
				t.Errorf("concurrent append %d: %v", i, err)
			}
		}(i)
	}
	wg.Wait()
	msgs, err = s.RecentMessages(ctx, a.Tenant.ID, cs.ID, 100)
	must(t, err)
	if len(msgs) != 25 {
		t.Fatalf("%d messages after concurrent appends, want 25", len(msgs))
	}
	cs.State = json.RawMessage(`{"step":"date"}`)
	cs.UpdatedAt = now.Add(time.Minute)
	must(t, s.SaveSessionState(ctx, cs))
	got, err := s.Session(ctx, a.Tenant.ID, cs.ID)
	must(t, err)
	if string(got.State) != `{"step":"date"}` || !got.UpdatedAt.Equal(now.Add(time.Minute)) {
		t.Fatalf("Session = %+v", got)
	}
	u := &frontdesk.TokenUsage{ID: frontdesk.NewID(), TenantID: a.Tenant.ID, SessionID: cs.ID, Model: "m", InputTokens: 10, OutputTokens: 5, CostMicroCents: 123, CreatedAt: now}
	must(t, s.RecordTokenUsage(ctx, u))
	us, err := s.ListTokenUsage(ctx, a.Tenant.ID)
	must(t, err)
	if len(us) != 1 || us[0].CostMicroCents != 123 || us[0].InputTokens != 10 {
		t.Fatalf("token usage = %+v", us)
	}
}

func testProposals(t *testing.T, s frontdesk.Store) {
	a := NewFixture(t, s, "Alpha", "UTC")
	now := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	p := &frontdesk.Proposal{ID: frontdesk.NewID(), TenantID: a.Tenant.ID, SessionID: "s1", Operation: frontdesk.OpCreateBooking,
		Payload: json.RawMessage(`{"a":1}`), Preview: "Portrait", Status: frontdesk.ProposalPending, ExpiresAt: now.Add(30 * time.Minute), CreatedAt: now}
	must(t, s.CreateProposal(ctx, p))
	_, err := s.Proposal(ctx, a.Tenant.ID, "s2", p.ID)
	wantCode(t, err, frontdesk.ENotFound)
	_, err = s.Proposal(ctx, "other", "s1", p.ID)
	wantCode(t, err, frontdesk.ENotFound)
	p.Status, p.Result = frontdesk.ProposalExecuted, json.RawMessage(`{"ok":true}`)
	must(t, s.UpdateProposal(ctx, p))
	got, err := s.Proposal(ctx, a.Tenant.ID, "s1", p.ID)
	must(t, err)
	if got.Status != frontdesk.ProposalExecuted || string(got.Result) != `{"ok":true}` || string(got.Payload) != `{"a":1}` || !got.ExpiresAt.Equal(p.ExpiresAt) {
		t.Fatalf("Proposal = %+v", got)
	}
}

func testOutbox(t *testing.T, s frontdesk.Store) {
	a := NewFixture(t, s, "Alpha", "UTC")
	now := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	mk := func(key string) *frontdesk.OutboxEmail {
		return &frontdesk.OutboxEmail{ID: frontdesk.NewID(), TenantID: a.Tenant.ID, IdempotencyKey: key, Kind: "k",
			Email:         frontdesk.Email{To: "ann@example.com", Subject: "S " + key, Text: "t", Attachments: []frontdesk.Attachment{{Name: "a.ics", ContentType: "text/calendar", Content: []byte("X")}}},
			NextAttemptAt: now, CreatedAt: now}
	}
	for i := 0; i < 4; i++ {
		must(t, s.EnqueueEmail(ctx, mk(fmt.Sprint("key", i))))
	}
	must(t, s.EnqueueEmail(ctx, mk("key0"))) // repeated key: ignored
	all, err := s.ListEmails(ctx, a.Tenant.ID)
	must(t, err)
	if len(all) != 4 {
		t.Fatalf("%d emails, want 4", len(all))
	}
	got, err := s.ClaimEmails(ctx, now, time.Minute, 3)
	must(t, err)
	if len(got) != 3 || got[0].Attempts != 1 || string(got[0].Email.Attachments[0].Content) != "X" {
		t.Fatalf("claimed %d (%+v)", len(got), got)
	}
	more, err := s.ClaimEmails(ctx, now, time.Minute, 10)
	must(t, err)
	if len(more) != 1 {
		t.Fatalf("second claim got %d, want the 1 unleased email", len(more))
	}
	must(t, s.MarkEmailSent(ctx, got[0].ID, now))
	must(t, s.MarkEmailFailed(ctx, got[1].ID, "smtp down", now.Add(time.Second), false))
	must(t, s.MarkEmailFailed(ctx, got[2].ID, "rejected", now, true))
	again, err := s.ClaimEmails(ctx, now.Add(2*time.Second), time.Minute, 10)
	must(t, err)
	if len(again) != 1 || again[0].ID != got[1].ID || again[0].Attempts != 2 || again[0].LastError != "smtp down" {
		t.Fatalf("retry claim = %+v", again)
	}
	e, err := s.Email(ctx, got[2].ID)
	must(t, err)
	if e.Status != frontdesk.EmailDead {
		t.Fatalf("status %s, want DEAD", e.Status)
	}
	e, err = s.Email(ctx, got[0].ID)
	must(t, err)
	if e.Status != frontdesk.EmailSent || e.SentAt == nil {
		t.Fatalf("sent email = %+v", e)
	}
	// After the lease runs out, an email claimed by a crashed worker is due again.
	late, err := s.ClaimEmails(ctx, now.Add(2*time.Minute), time.Minute, 10)
	must(t, err)
	if len(late) != 2 {
		t.Fatalf("after lease: %d due, want 2", len(late))
	}

	// A held email is rewritten and released once, and never after an attempt.
	held := mk("held")
	held.NextAttemptAt = now.Add(24 * time.Hour)
	must(t, s.EnqueueEmail(ctx, held))
	must(t, s.ReleaseEmail(ctx, "held", &frontdesk.Email{To: "ann@example.com", Subject: "with link"}, now.Add(150*time.Second)))
	rel, err := s.ClaimEmails(ctx, now.Add(150*time.Second), time.Hour, 10)
	must(t, err)
	if len(rel) != 1 || rel[0].Email.Subject != "with link" {
		t.Fatalf("released email = %+v", rel)
	}
	must(t, s.ReleaseEmail(ctx, "held", &frontdesk.Email{Subject: "too late"}, now))
	e, err = s.Email(ctx, held.ID)
	must(t, err)
	if e.Email.Subject != "with link" {
		t.Fatalf("an attempted email was rewritten: %q", e.Email.Subject)
	}

	// Concurrent claimers never get the same email.
	for i := 0; i < 40; i++ {
		must(t, s.EnqueueEmail(ctx, mk(fmt.Sprint("bulk", i))))
	}
	var mu sync.Mutex
	seen := map[string]int{}
	var wg sync.WaitGroup
	for w := 0; w < 8; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				batch, err := s.ClaimEmails(ctx, now.Add(time.Hour), time.Hour, 3)
				if err != nil {
					t.Error(err)
					return
				}
				if len(batch) == 0 {
					return
				}
				mu.Lock()
				for _, e := range batch {
					seen[e.ID]++
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	for id, n := range seen {
		if n != 1 {
			t.Errorf("email %s claimed %d times", id, n)
		}
	}
	if len(seen) != 42 {
		t.Errorf("claimed %d distinct emails, want 42", len(seen))
	}
}

func testWebhookEvents(t *testing.T, s frontdesk.Store) {
	e := &frontdesk.WebhookEvent{ID: "evt_1", Provider: "stripe", Type: "checkout.session.completed", Status: "processed", CreatedAt: time.Now()}
	first, err := s.RecordWebhookEvent(ctx, e)
	must(t, err)
	second, err := s.RecordWebhookEvent(ctx, e)
	must(t, err)
	if !first || second {
		t.Fatalf("first=%v second=%v, want true then false", first, second)
	}
}

func testJobs(t *testing.T, s frontdesk.Store) {
	a := NewFixture(t, s, "Alpha", "UTC")
	now := time.Date(2026, 12, 10, 12, 0, 0, 0, time.UTC)
	for i, age := range []time.Duration{time.Hour, 23 * time.Hour, 25 * time.Hour, 72 * time.Hour} {
		cs := &frontdesk.ChatSession{ID: frontdesk.NewID(), TenantID: a.Tenant.ID, CreatedAt: now.Add(-age), UpdatedAt: now.Add(-age)}
		must(t, s.CreateSession(ctx, cs))
		must(t, s.AppendMessage(ctx, &frontdesk.ChatMessage{ID: frontdesk.NewID(), SessionID: cs.ID, TenantID: a.Tenant.ID, Role: "user", Content: fmt.Sprint(i), CreatedAt: now}))
	}
	n, err := s.DeleteIdleSessions(ctx, now.Add(-24*time.Hour))
	must(t, err)
	if n != 2 {
		t.Fatalf("deleted %d idle sessions, want 2", n)
	}
	mkp := func(status frontdesk.ProposalStatus, expiresAgo time.Duration) *frontdesk.Proposal {
		p := &frontdesk.Proposal{ID: frontdesk.NewID(), TenantID: a.Tenant.ID, SessionID: "s", Operation: frontdesk.OpCreateBooking,
			Payload: json.RawMessage(`{}`), Status: status, ExpiresAt: now.Add(-expiresAgo), CreatedAt: now.Add(-expiresAgo - 30*time.Minute)}
		must(t, s.CreateProposal(ctx, p))
		return p
	}
	pendingFresh := mkp(frontdesk.ProposalPending, -10*time.Minute)
	pendingLapsed := mkp(frontdesk.ProposalPending, time.Minute)
	mkp(frontdesk.ProposalExpired, 8*24*time.Hour)
	mkp(frontdesk.ProposalRejected, 8*24*time.Hour)
	keptExpired := mkp(frontdesk.ProposalExpired, 6*24*time.Hour)
	executedOld := mkp(frontdesk.ProposalExecuted, 30*24*time.Hour)
	n, err = s.ExpireProposals(ctx, now)
	must(t, err)
	if n != 1 {
		t.Fatalf("expired %d proposals, want 1", n)
	}
	n, err = s.DeleteOldProposals(ctx, now.Add(-7*24*time.Hour))
	must(t, err)
	if n != 2 {
		t.Fatalf("deleted %d proposals, want 2", n)
	}
	for _, p := range []*frontdesk.Proposal{pendingFresh, pendingLapsed, keptExpired, executedOld} {
		if _, err := s.Proposal(ctx, a.Tenant.ID, "s", p.ID); err != nil {
			t.Errorf("proposal %s should remain: %v", p.Status, err)
		}
	}
	got, _ := s.Proposal(ctx, a.Tenant.ID, "s", pendingLapsed.ID)
	if got.Status != frontdesk.ProposalExpired {
		t.Errorf("lapsed proposal status %s", got.Status)
	}
	c := a.Customer(t, s, "ann@example.com")
	lapsed := a.Booking(a.Portrait, c, time.Date(2026, 12, 15, 10, 0, 0, 0, time.UTC))
	past := now.Add(-time.Minute)
	lapsed.CheckoutExpiresAt = &past
	must(t, s.CreateBooking(ctx, lapsed))
	fresh := a.Booking(a.Portrait, c, time.Date(2026, 12, 15, 14, 0, 0, 0, time.UTC))
	future := now.Add(time.Minute)
	fresh.CheckoutExpiresAt = &future
	must(t, s.CreateBooking(ctx, fresh))
	bs, err := s.LapsedCheckouts(ctx, now, 10)
	must(t, err)
	if len(bs) != 1 || bs[0].ID != lapsed.ID {
		t.Fatalf("LapsedCheckouts = %v", bs)
	}
	testRunExclusive(t, s)
}

// testRunExclusive: while one caller runs a job, a second caller of the
// same job is turned away and a different job still runs.
func testRunExclusive(t *testing.T, s frontdesk.Store) {
	started, release := make(chan struct{}), make(chan struct{})
	done := make(chan error, 1)
	go func() {
		ran, err := s.RunExclusive(ctx, "cleanup", func(context.Context) error {
			close(started)
			<-release
			return nil
		})
		if err == nil && !ran {
			err = fmt.Errorf("the first caller did not run")
		}
		done <- err
	}()
	<-started
	ran, err := s.RunExclusive(ctx, "cleanup", func(context.Context) error { return nil })
	must(t, err)
	if ran {
		t.Fatal("a second instance ran the job while the first held it")
	}
	other := false
	_, err = s.RunExclusive(ctx, "expire", func(context.Context) error { other = true; return nil })
	must(t, err)
	if !other {
		t.Fatal("another job was blocked")
	}
	close(release)
	must(t, <-done)
	ran, err = s.RunExclusive(ctx, "cleanup", func(context.Context) error { return nil })
	must(t, err)
	if !ran {
		t.Fatal("the job did not run after the first finished")
	}
}

// testCodeCollisionRetried: a transaction whose booking drew a taken
// confirmation code runs again (and draws another).
func testCodeCollisionRetried(t *testing.T, s frontdesk.Store) {
	a := NewFixture(t, s, "Alpha", "UTC")
	c := a.Customer(t, s, "ann@example.com")
	first := a.Booking(a.Portrait, c, time.Date(2026, 12, 15, 10, 0, 0, 0, time.UTC))
	must(t, s.CreateBooking(ctx, first))
	calls := 0
	second := a.Booking(a.Portrait, c, time.Date(2026, 12, 15, 14, 0, 0, 0, time.UTC))
	err := s.WithTx(ctx, func(tx frontdesk.Tx) error {
		calls++
		second.ConfirmationCode = frontdesk.NewConfirmationCode()
		if calls == 1 {
			second.ConfirmationCode = first.ConfirmationCode
		}
		return tx.CreateBooking(ctx, second)
	})
	must(t, err)
	if calls != 2 {
		t.Fatalf("the transaction ran %d times, want 2", calls)
	}
	got, err := s.Booking(ctx, a.Tenant.ID, second.ID)
	must(t, err)
	if got.ConfirmationCode == first.ConfirmationCode {
		t.Fatal("two bookings share a confirmation code")
	}
}

func testFeedbackAndEscalations(t *testing.T, s frontdesk.Store) {
	a := NewFixture(t, s, "Alpha", "UTC")
	b := NewFixture(t, s, "Beta", "UTC")
	now := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	cs := &frontdesk.ChatSession{ID: frontdesk.NewID(), TenantID: a.Tenant.ID, CreatedAt: now, UpdatedAt: now}
	must(t, s.CreateSession(ctx, cs))
	m := &frontdesk.ChatMessage{ID: frontdesk.NewID(), SessionID: cs.ID, TenantID: a.Tenant.ID, Role: frontdesk.RoleAssistant, Content: "hello", CreatedAt: now}
	must(t, s.AppendMessage(ctx, m))
	got, err := s.Message(ctx, a.Tenant.ID, cs.ID, m.ID)
	must(t, err)
	if got.Content != "hello" || got.Role != frontdesk.RoleAssistant {
		t.Fatalf("Message = %+v", got)
	}
	_, err = s.Message(ctx, b.Tenant.ID, cs.ID, m.ID)
	wantCode(t, err, frontdesk.ENotFound)
	_, err = s.Message(ctx, a.Tenant.ID, frontdesk.NewID(), m.ID)
	wantCode(t, err, frontdesk.ENotFound)

	save := func(target, typ string, rating int, comment, message string, at time.Time) string {
		f := &frontdesk.Feedback{ID: frontdesk.NewID(), TenantID: a.Tenant.ID, SessionID: cs.ID, Target: target, Type: typ, Rating: rating,
			Comment: comment, Message: message, CreatedAt: at}
		must(t, s.SaveFeedback(ctx, f))
		return f.ID
	}
	up := save(m.ID, frontdesk.FeedbackThumbsUp, 0, "", "hello", now)
	again := save(m.ID, frontdesk.FeedbackThumbsDown, 0, "changed my mind", "hello, edited", now)
	rating := save(frontdesk.FeedbackSessionTarget, frontdesk.FeedbackRating, 4, "", "", now)
	save(frontdesk.FeedbackSessionTarget, frontdesk.FeedbackRating, 5, "great", "", now)
	if up != again {
		t.Fatalf("a second thumb on one message made a new row (%s, %s)", up, again)
	}
	fs, err := s.ListFeedback(ctx, a.Tenant.ID, time.Time{}, time.Time{})
	must(t, err)
	if len(fs) != 2 {
		t.Fatalf("%d feedback rows, want 2 (one per target)", len(fs))
	}
	for _, f := range fs {
		switch f.ID {
		case up:
			if f.Type != frontdesk.FeedbackThumbsDown || f.Comment != "changed my mind" || f.Rating != 0 || f.Message != "hello, edited" {
				t.Errorf("thumb = %+v", f)
			}
		case rating:
			if f.Type != frontdesk.FeedbackRating || f.Rating != 5 || f.Comment != "great" || f.Message != "" || !f.CreatedAt.Equal(now) {
				t.Errorf("rating = %+v", f)
			}
		default:
			t.Errorf("unexpected feedback %+v", f)
		}
	}
	if fs, err := s.ListFeedback(ctx, b.Tenant.ID, time.Time{}, time.Time{}); err != nil || len(fs) != 0 {
		t.Fatalf("ListFeedback of another tenant = %v, %v; want none and no error", fs, err)
	}

	// Between two instants, from included, to excluded, oldest first.
	early := save("m-early", frontdesk.FeedbackThumbsUp, 0, "", "early", now.Add(-time.Hour))
	late := save("m-late", frontdesk.FeedbackThumbsDown, 0, "", "late", now.Add(2*time.Hour))
	ranges := []struct {
		name     string
		from, to time.Time
		want     int
		first    string
	}{
		{"open", time.Time{}, time.Time{}, 4, early},
		{"from only", now, time.Time{}, 3, ""},
		{"to only, excluded", time.Time{}, now, 1, early},
		{"both", now, now.Add(2 * time.Hour), 2, ""},
		{"up to the last", now.Add(time.Minute), now.Add(2*time.Hour + time.Microsecond), 1, late},
		{"empty", now, now, 0, ""},
	}
	for _, tc := range ranges {
		fs, err := s.ListFeedback(ctx, a.Tenant.ID, tc.from, tc.to)
		must(t, err)
		if len(fs) != tc.want || (tc.first != "" && fs[0].ID != tc.first) {
			t.Errorf("ListFeedback %s: %d rows, want %d", tc.name, len(fs), tc.want)
		}
		for i := 1; i < len(fs); i++ {
			if fs[i].CreatedAt.Before(fs[i-1].CreatedAt) {
				t.Errorf("ListFeedback %s is not oldest first", tc.name)
			}
		}
	}

	e := &frontdesk.Escalation{ID: frontdesk.NewID(), TenantID: a.Tenant.ID, SessionID: cs.ID, Reason: "a person please",
		CustomerEmail: "ann@example.com", Summary: "customer: hi", Status: frontdesk.EscalationPending, CreatedAt: now}
	must(t, s.CreateEscalation(ctx, e))
	es, err := s.ListEscalations(ctx, a.Tenant.ID, frontdesk.EscalationFilter{})
	must(t, err)
	if len(es.Escalations) != 1 || es.Escalations[0].Reason != "a person please" || es.Escalations[0].Status != frontdesk.EscalationPending ||
		!es.Escalations[0].CreatedAt.Equal(now) || es.NextCursor != "" {
		t.Fatalf("escalations = %+v", es)
	}
	if es, err := s.ListEscalations(ctx, b.Tenant.ID, frontdesk.EscalationFilter{}); err != nil || len(es.Escalations) != 0 {
		t.Fatalf("ListEscalations of another tenant = %v, %v; want none and no error", es, err)
	}
}

func testEscalationList(t *testing.T, s frontdesk.Store) {
	a := NewFixture(t, s, "Alpha", "UTC")
	b := NewFixture(t, s, "Beta", "UTC")
	now := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	mk := func(f *Fixture, status string, after time.Duration) *frontdesk.Escalation {
		e := &frontdesk.Escalation{ID: frontdesk.NewID(), TenantID: f.Tenant.ID, SessionID: frontdesk.NewID(), Reason: "call me",
			CustomerEmail: "ann@example.com", CustomerPhone: "+1 555 0100", Summary: "customer: hi", Status: status, CreatedAt: now.Add(after)}
		must(t, s.CreateEscalation(ctx, e))
		return e
	}
	var mine []*frontdesk.Escalation
	for i, st := range []string{frontdesk.EscalationPending, frontdesk.EscalationResolved, frontdesk.EscalationPending,
		frontdesk.EscalationAcknowledged, frontdesk.EscalationPending} {
		mine = append(mine, mk(a, st, time.Duration(i/2)*time.Minute)) // pairs tie on created_at
	}
	theirs := mk(b, frontdesk.EscalationPending, time.Hour)

	got, err := s.Escalation(ctx, a.Tenant.ID, mine[0].ID)
	must(t, err)
	if *got != *mine[0] {
		t.Fatalf("Escalation = %+v, want %+v", got, mine[0])
	}
	_, err = s.Escalation(ctx, b.Tenant.ID, mine[0].ID)
	wantCode(t, err, frontdesk.ENotFound)
	_, err = s.Escalation(ctx, a.Tenant.ID, frontdesk.NewID())
	wantCode(t, err, frontdesk.ENotFound)

	want := append([]*frontdesk.Escalation(nil), mine...)
	sort.Slice(want, func(i, j int) bool {
		if !want[i].CreatedAt.Equal(want[j].CreatedAt) {
			return want[i].CreatedAt.After(want[j].CreatedAt)
		}
		return want[i].ID > want[j].ID
	})
	var wantIDs, paged []string
	for _, e := range want {
		wantIDs = append(wantIDs, e.ID)
	}
	cursor := ""
	for pages := 0; ; pages++ {
		if pages > 5 {
			t.Fatal("pagination does not end")
		}
		page, err := s.ListEscalations(ctx, a.Tenant.ID, frontdesk.EscalationFilter{Limit: 2, Cursor: cursor})
		must(t, err)
		for _, e := range page.Escalations {
			paged = append(paged, e.ID)
		}
		if page.NextCursor == "" {
			break
		}
		cursor = page.NextCursor
	}
	if !reflect.DeepEqual(paged, wantIDs) {
		t.Fatalf("paged escalations %v, want %v (newest first)", paged, wantIDs)
	}
	count := func(tenantID, status string) int {
		t.Helper()
		page, err := s.ListEscalations(ctx, tenantID, frontdesk.EscalationFilter{Status: status})
		must(t, err)
		for _, e := range page.Escalations {
			if e.TenantID != tenantID || (status != "" && e.Status != status) {
				t.Fatalf("ListEscalations(%s) returned %+v", status, e)
			}
		}
		return len(page.Escalations)
	}
	if n := count(a.Tenant.ID, frontdesk.EscalationPending); n != 3 {
		t.Fatalf("%d PENDING escalations, want 3", n)
	}

	must(t, s.SetEscalationStatus(ctx, a.Tenant.ID, mine[0].ID, frontdesk.EscalationResolved))
	got, err = s.Escalation(ctx, a.Tenant.ID, mine[0].ID)
	must(t, err)
	if got.Status != frontdesk.EscalationResolved || got.Summary != mine[0].Summary {
		t.Fatalf("after SetEscalationStatus = %+v", got)
	}
	if n := count(a.Tenant.ID, frontdesk.EscalationResolved); n != 2 {
		t.Fatalf("%d RESOLVED escalations, want 2", n)
	}
	wantCode(t, s.SetEscalationStatus(ctx, b.Tenant.ID, mine[2].ID, frontdesk.EscalationResolved), frontdesk.ENotFound)
	wantCode(t, s.SetEscalationStatus(ctx, a.Tenant.ID, theirs.ID, frontdesk.EscalationResolved), frontdesk.ENotFound)
	wantCode(t, s.SetEscalationStatus(ctx, a.Tenant.ID, frontdesk.NewID(), frontdesk.EscalationResolved), frontdesk.ENotFound)
	if got, _ := s.Escalation(ctx, b.Tenant.ID, theirs.ID); got == nil || got.Status != frontdesk.EscalationPending {
		t.Fatalf("another tenant's escalation = %+v", got)
	}
	if n := count(b.Tenant.ID, ""); n != 1 {
		t.Fatalf("another tenant has %d escalations, want 1", n)
	}
	_, err = s.ListEscalations(ctx, a.Tenant.ID, frontdesk.EscalationFilter{Cursor: "garbage!"})
	wantCode(t, err, frontdesk.EInvalid)
}

func testAnalytics(t *testing.T, s frontdesk.Store) {
	a := NewFixture(t, s, "Alpha", "UTC")
	b := NewFixture(t, s, "Beta", "UTC")
	day := func(d int) frontdesk.Date { return frontdesk.Date{Year: 2026, Month: 12, Day: d} }
	at := func(d, h int) time.Time { return time.Date(2026, 12, d, h, 0, 0, 0, time.UTC) }
	for _, d := range []int{1, 1, 2, 5} {
		must(t, s.CountSession(ctx, a.Tenant.ID, day(d)))
	}
	must(t, s.CountSession(ctx, b.Tenant.ID, day(1)))
	c := a.Customer(t, s, "ann@example.com")
	for i, st := range []frontdesk.BookingStatus{frontdesk.StatusConfirmed, frontdesk.StatusPending, frontdesk.StatusConfirmed} {
		bk := a.Booking(a.Free, c, at(20, 9+i))
		bk.Status, bk.CreatedAt = st, at(1+i, 12)
		if i == 2 {
			bk.Source = frontdesk.SourceAPI // not the chat's
		}
		must(t, s.CreateBooking(ctx, bk))
	}
	fb := func(target, typ string, rating int, d int) {
		must(t, s.SaveFeedback(ctx, &frontdesk.Feedback{ID: frontdesk.NewID(), TenantID: a.Tenant.ID, SessionID: "s" + target,
			Target: target, Type: typ, Rating: rating, CreatedAt: at(d, 10)}))
	}
	fb("m1", frontdesk.FeedbackThumbsUp, 0, 1)
	fb("m2", frontdesk.FeedbackThumbsUp, 0, 2)
	fb("m3", frontdesk.FeedbackThumbsDown, 0, 2)
	fb("session", frontdesk.FeedbackRating, 5, 1)
	fb("session2", frontdesk.FeedbackRating, 2, 2)
	fb("m9", frontdesk.FeedbackThumbsUp, 0, 9) // outside the range
	must(t, s.CreateEscalation(ctx, &frontdesk.Escalation{ID: frontdesk.NewID(), TenantID: a.Tenant.ID, SessionID: "s", Reason: "r",
		Summary: "", Status: frontdesk.EscalationPending, CreatedAt: at(2, 8)}))
	for _, d := range []int{1, 2} {
		must(t, s.RecordTokenUsage(ctx, &frontdesk.TokenUsage{ID: frontdesk.NewID(), TenantID: a.Tenant.ID, SessionID: "s", Model: "m",
			InputTokens: 1000, OutputTokens: 100, CostMicroCents: 450_000, CreatedAt: at(d, 11)}))
	}
	got, err := s.Analytics(ctx, a.Tenant.ID, day(1), day(2), at(1, 0), at(3, 0))
	must(t, err)
	want := frontdesk.Analytics{Sessions: 3, ChatBookings: 2, ConfirmedBookings: 1, ThumbsUp: 2, ThumbsDown: 1, Ratings: 2, RatingSum: 7,
		Escalations: 1, InputTokens: 2000, OutputTokens: 200, CostMicroCents: 900_000}
	if *got != want {
		t.Fatalf("Analytics = %+v\nwant        %+v", *got, want)
	}
	empty, err := s.Analytics(ctx, b.Tenant.ID, day(2), day(2), at(2, 0), at(3, 0))
	must(t, err)
	if *empty != (frontdesk.Analytics{}) {
		t.Fatalf("another tenant's analytics = %+v, want zeros", *empty)
	}
}
