package business_test

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/frontdeskhq/frontdesk"
	"github.com/frontdeskhq/frontdesk/business"
	"github.com/frontdeskhq/frontdesk/demo"
	"github.com/frontdeskhq/frontdesk/storetest"
)

var ctx = context.Background()

var testNow = time.Date(2026, 12, 10, 15, 0, 0, 0, time.UTC)

func newService(t *testing.T, b storetest.Backend) *business.Service {
	t.Helper()
	return &business.Service{Store: b.Open(t), Clock: frontdesk.ClockFunc(func() time.Time { return testNow }), PublicURL: "https://book.example"}
}

func readFile(t *testing.T, path string) *business.File {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	f, err := business.ParseFile(data)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return f
}

// snapshot is everything a business file describes, as stored.
func snapshot(t *testing.T, s *business.Service, id string) string {
	t.Helper()
	tn, err := s.Store.TenantByID(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	pkgs, err := s.Store.ListPackages(ctx, id, false)
	if err != nil {
		t.Fatal(err)
	}
	week, err := s.WeekOf(ctx, tn)
	if err != nil {
		t.Fatal(err)
	}
	days, err := s.Store.ListBlackoutDates(ctx, id, frontdesk.Date{Year: 2000, Month: 1, Day: 1}, frontdesk.Date{Year: 2100, Month: 1, Day: 1})
	if err != nil {
		t.Fatal(err)
	}
	var views []business.PackageView
	for _, p := range pkgs {
		views = append(views, business.ViewPackage(p))
	}
	for i := range days {
		days[i].ID = "" // ids are the store's; the days and reasons are the file's
	}
	out, err := json.MarshalIndent(map[string]any{"profile": s.ProfileOf(tn), "version": tn.Version, "packages": views, "week": week, "days": days}, "", " ")
	if err != nil {
		t.Fatal(err)
	}
	return string(out)
}

func TestApplyTwiceChangesNothing(t *testing.T) {
	storetest.EachBackend(t, func(t *testing.T, b storetest.Backend) {
		s := newService(t, b)
		f := readFile(t, "../examples/business.yaml")
		first, err := s.Apply(ctx, f, business.ApplyOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if !first.Created || !strings.HasPrefix(first.SecretKey, "sk_") || !strings.HasPrefix(first.PublicKey, "pk_") || first.Slug != "harbor-yoga" {
			t.Fatalf("first apply = %+v", first)
		}
		before := snapshot(t, s, first.TenantID)
		for _, want := range []string{`"Private Lesson"`, `"2027-01-01"`, `"weekday": "MON"`, `"start": "16:00"`, `"minNoticeMinutes": 120`, `"https://harbor-yoga.example"`} {
			if !strings.Contains(before, want) {
				t.Errorf("the applied business lacks %s:\n%s", want, before)
			}
		}

		again, err := s.Apply(ctx, readFile(t, "../examples/business.yaml"), business.ApplyOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if again.Created || again.SecretKey != "" || len(again.Changes) != 0 || again.TenantID != first.TenantID {
			t.Fatalf("second apply = %+v; want no changes", again)
		}
		if after := snapshot(t, s, first.TenantID); after != before {
			t.Fatalf("applying the same file twice changed the business:\nbefore %s\nafter %s", before, after)
		}

		// An edit changes just that, and raises the version.
		edited := readFile(t, "../examples/business.yaml")
		(*edited.Packages)[0].PriceCents = ptr(int64(6500))
		*edited.Packages = (*edited.Packages)[:2] // the retreat day is gone
		res, err := s.Apply(ctx, edited, business.ApplyOptions{})
		if err != nil {
			t.Fatal(err)
		}
		want := []string{"updated service private-lesson", "deleted service retreat-day (not in the file)"}
		if !reflect.DeepEqual(res.Changes, want) {
			t.Fatalf("changes = %q, want %q", res.Changes, want)
		}
		tn, _ := s.Store.TenantByID(ctx, first.TenantID)
		if tn.Version <= 1 {
			t.Fatalf("version %d after a change", tn.Version)
		}
	})
}

func ptr[T any](v T) *T { return &v }

func TestApplyRefusesABadFileWhole(t *testing.T) {
	storetest.EachBackend(t, func(t *testing.T, b storetest.Backend) {
		s := newService(t, b)
		bad := `
name: Broken Studio
contactEmail: not-an-email
timeZone: Mars/Olympus
currency: xyz
allowedOrigins: ["https://ok.example", "ftp://nope.example", "https://x.example/path"]
settings: {maxDaysAhead: 0, refundPolicy: [{hoursBefore: 24, percent: 150}]}
packages:
  - {slug: a, name: A, priceCents: 100, bookingType: DATE}
  - {slug: b, name: "", priceCents: -5, bookingType: DATE}
  - {slug: c, name: C, priceCents: 100, bookingType: HOURLY}
  - {slug: a, name: A again, priceCents: 100, bookingType: DATE}
  - {slug: d, name: D, priceCents: 100, bookingType: TIMESLOT, durationMinutes: 600}
hours:
  - {weekday: MON, start: "09:00", end: "17:00"}
  - {weekday: MON, start: "12:00", end: "13:00"}
  - {weekday: FUNDAY, start: "09:00", end: "10:00"}
  - {weekday: TUE, start: "18:00", end: "09:00"}
daysOff:
  - {date: "2026-13-01"}
`
		f, err := business.ParseFile([]byte(bad))
		if err != nil {
			t.Fatal(err)
		}
		_, err = s.Apply(ctx, f, business.ApplyOptions{})
		var fe *frontdesk.Error
		if !asErr(err, &fe) || fe.Code != frontdesk.EInvalid {
			t.Fatalf("Apply = %v; want validation_failed", err)
		}
		got := map[string]bool{}
		for _, d := range fe.Details {
			got[d.Field] = true
			if d.Message == "" {
				t.Errorf("%s has no message", d.Field)
			}
		}
		for _, field := range []string{"contactEmail", "timeZone", "currency", "allowedOrigins[1]", "allowedOrigins[2]",
			"settings.maxDaysAhead", "settings.refundPolicy[0].percent", "packages[1].name", "packages[1].priceCents",
			"packages[2].bookingType", "packages[3].slug", "packages[4].durationMinutes",
			"hours[1].start", "hours[2].weekday", "hours[3].end", "daysOff[0].date"} {
			if !got[field] {
				t.Errorf("no error for %s; got %+v", field, fe.Details)
			}
		}
		if ts, err := s.Store.ListTenants(ctx); err != nil || len(ts) != 0 {
			t.Fatalf("a refused file created %d tenants (%v)", len(ts), err)
		}
	})
}

func asErr(err error, fe **frontdesk.Error) bool { return errors.As(err, fe) }

func TestParseFileNamesUnknownAndMistypedFields(t *testing.T) {
	for _, tc := range []struct{ name, text, field string }{
		{"unknown top-level", "name: X\ncolour: blue\n", "colour"},
		{"unknown in a package", "name: X\npackages:\n  - {name: A, prize: 5}\n", "prize"},
		{"a string for a number", "name: X\npackages:\n  - {name: A, priceCents: cheap}\n", "packages.priceCents"},
		{"JSON works too", `{"name": "X", "settings": {"requirePhone": "yes"}}`, "settings.requirePhone"},
	} {
		_, err := business.ParseFile([]byte(tc.text))
		var fe *frontdesk.Error
		if !asErr(err, &fe) || len(fe.Details) != 1 || fe.Details[0].Field != tc.field {
			t.Errorf("%s: ParseFile = %v; want an error naming %s", tc.name, err, tc.field)
		}
	}
	if _, err := business.ParseFile([]byte("name: [unclosed")); !frontdesk.IsCode(err, frontdesk.EInvalid) {
		t.Errorf("broken YAML: %v", err)
	}
}

func TestDemoIsAFileAppliedOnce(t *testing.T) {
	storetest.EachBackend(t, func(t *testing.T, b storetest.Backend) {
		s := newService(t, b)
		res, err := demo.Seed(ctx, s.Store, "http://localhost:8080", testNow, false)
		if err != nil {
			t.Fatal(err)
		}
		if res.PublicKey != demo.PublicKey || len(res.Packages) != 4 || res.SecretKey == "" {
			t.Fatalf("seed = %+v", res)
		}
		before := snapshot(t, s, res.TenantID)
		again, err := demo.Seed(ctx, s.Store, "http://localhost:8080", testNow, false)
		if err != nil || again.TenantID != res.TenantID || again.SecretKey != "" {
			t.Fatalf("second seed = %+v, %v", again, err)
		}
		// The embedded file applied over the seeded demo changes nothing either.
		f, err := demo.Business("http://localhost:8080", testNow)
		if err != nil {
			t.Fatal(err)
		}
		if r, err := s.Apply(ctx, f, business.ApplyOptions{}); err != nil || len(r.Changes) != 0 {
			t.Fatalf("re-applying the demo file = %+v, %v", r, err)
		}
		if after := snapshot(t, s, res.TenantID); after != before {
			t.Fatalf("the demo changed:\n%s\n%s", before, after)
		}
		if !strings.Contains(before, `"2026-12-25"`) || !strings.Contains(before, `"http://localhost:8080"`) {
			t.Fatalf("placeholders not filled:\n%s", before)
		}
	})
}
