package httpapi_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/frontdeskhq/frontdesk"
	"github.com/frontdeskhq/frontdesk/storetest"
)

// listOut is the body of GET /v1/tenant/bookings.
type listOut struct {
	Bookings   []map[string]any `json:"bookings"`
	NextCursor string           `json:"nextCursor"`
}

func ids(l listOut) []string {
	out := []string{}
	for _, b := range l.Bookings {
		out = append(out, b["id"].(string))
	}
	return out
}

// tenantBookings stores five bookings of tenant f, created a minute apart
// in this order:
//
//	0 wedding  2026-12-15 PENDING with a checkout URL
//	1 portrait 2026-12-16 14:00 New York, CONFIRMED and paid
//	2 portrait 2026-12-17 CANCELED
//	3 wedding  2026-12-21 CONFIRMED
//	4 consult  2026-12-22 CONFIRMED (free)
func (h *harness) tenantBookings(t *testing.T, f *storetest.Fixture) []*frontdesk.Booking {
	t.Helper()
	loc := f.Tenant.Location()
	at := func(i int) time.Time { return testNow.Add(-time.Hour + time.Duration(i)*time.Minute) }
	paid := testNow.Add(-30 * time.Minute)
	return []*frontdesk.Booking{
		h.storeBooking(t, f, f.Wedding, "w1@example.com", time.Date(2026, 12, 15, 12, 0, 0, 0, loc), frontdesk.StatusPending, at(0),
			func(b *frontdesk.Booking) {
				b.CheckoutSessionID, b.CheckoutURL = "cs_test_1", "https://checkout.stripe.com/c/pay/cs_test_1"
			}),
		h.storeBooking(t, f, f.Portrait, "p1@example.com", time.Date(2026, 12, 16, 14, 0, 0, 0, loc), frontdesk.StatusConfirmed, at(1),
			func(b *frontdesk.Booking) {
				b.PaidAt, b.CheckoutURL = &paid, "https://checkout.stripe.com/c/pay/cs_test_2"
			}),
		h.storeBooking(t, f, f.Portrait, "p2@example.com", time.Date(2026, 12, 17, 10, 0, 0, 0, loc), frontdesk.StatusCanceled, at(2), nil),
		h.storeBooking(t, f, f.Wedding, "w2@example.com", time.Date(2026, 12, 21, 12, 0, 0, 0, loc), frontdesk.StatusConfirmed, at(3), nil),
		h.storeBooking(t, f, f.Free, "c1@example.com", time.Date(2026, 12, 22, 9, 0, 0, 0, loc), frontdesk.StatusConfirmed, at(4), nil),
	}
}

func TestTenantBookings(t *testing.T) {
	eachBackend(t, func(t *testing.T, h *harness) {
		bs := h.tenantBookings(t, h.a)
		other := h.directBooking(t, h.b, 15)
		id := func(is ...int) []string {
			out := []string{}
			for _, i := range is {
				out = append(out, bs[i].ID)
			}
			return out
		}

		t.Run("shape", func(t *testing.T) {
			r := h.tenantAPI(t, h.a, "/v1/tenant/bookings")
			var top map[string]any
			decode(t, r, &top)
			wantKeys(t, "list", top, "bookings")
			var l listOut
			decode(t, r, &l)
			if got := ids(l); !reflect.DeepEqual(got, id(4, 3, 2, 1, 0)) {
				t.Fatalf("bookings %q, want newest first %q", got, id(4, 3, 2, 1, 0))
			}
			byID := map[string]map[string]any{}
			for _, b := range l.Bookings {
				byID[b["id"].(string)] = b
			}
			base := []string{"id", "confirmationCode", "status", "packageId", "packageName", "customer", "date",
				"totalPriceCents", "refundedCents", "currency", "source", "rescheduleCount", "createdAt"}

			pending := byID[bs[0].ID]
			wantKeys(t, "pending wedding", pending, append(base, "checkoutUrl")...)
			want := map[string]any{"id": bs[0].ID, "confirmationCode": bs[0].ConfirmationCode, "status": "PENDING",
				"packageId": h.a.Wedding.ID, "packageName": "Wedding Photography", "date": "2026-12-15",
				"totalPriceCents": float64(150000), "currency": "usd", "source": "CHATBOT",
				"checkoutUrl": "https://checkout.stripe.com/c/pay/cs_test_1", "createdAt": bs[0].CreatedAt.UTC().Format(time.RFC3339)}
			for k, v := range want {
				if pending[k] != v {
					t.Errorf("%s = %#v, want %#v", k, pending[k], v)
				}
			}
			cust, _ := pending["customer"].(map[string]any)
			wantKeys(t, "customer", cust, "id", "name", "email")
			if cust["id"] != bs[0].CustomerID || cust["email"] != "w1@example.com" || cust["name"] != "Customer w1@example.com" {
				t.Errorf("customer %v", cust)
			}

			slot := byID[bs[1].ID]
			// Paid: no checkout link any more.
			wantKeys(t, "paid portrait", slot, append(base, "startTime", "endTime", "paidAt")...)
			if slot["startTime"] != "2026-12-16T19:00:00Z" || slot["endTime"] != "2026-12-16T20:00:00Z" ||
				slot["paidAt"] != testNow.Add(-30*time.Minute).Format(time.RFC3339) || slot["date"] != "2026-12-16" {
				t.Errorf("portrait %v", slot)
			}
			if byID[bs[4].ID]["totalPriceCents"] != float64(0) {
				t.Errorf("free consult %v", byID[bs[4].ID])
			}

			// One booking reads the same as in the list.
			var one map[string]any
			decode(t, h.tenantAPI(t, h.a, "/v1/tenant/bookings/"+bs[1].ID), &one)
			if !reflect.DeepEqual(one, slot) {
				t.Fatalf("GET one %v\nlist %v", one, slot)
			}
		})

		t.Run("filters", func(t *testing.T) {
			cases := []struct {
				name, query string
				want        []string
			}{
				{"status", "status=CONFIRMED", id(4, 3, 1)},
				{"status pending", "status=PENDING", id(0)},
				{"status expired", "status=EXPIRED", id()},
				{"from", "from=2026-12-17", id(4, 3, 2)},
				{"to", "to=2026-12-16", id(1, 0)},
				{"from to", "from=2026-12-16&to=2026-12-17", id(2, 1)},
				{"one day", "from=2026-12-21&to=2026-12-21", id(3)},
				{"from after to", "from=2026-12-22&to=2026-12-15", id()},
				{"status and dates", "status=CONFIRMED&from=2026-12-16&to=2026-12-21", id(3, 1)},
				{"empty values", "status=&from=&to=&limit=&cursor=", id(4, 3, 2, 1, 0)},
			}
			for _, c := range cases {
				t.Run(c.name, func(t *testing.T) {
					var l listOut
					decode(t, h.tenantAPI(t, h.a, "/v1/tenant/bookings?"+c.query), &l)
					if got := ids(l); !reflect.DeepEqual(got, c.want) || l.NextCursor != "" {
						t.Fatalf("%s: %q next %q, want %q", c.query, got, l.NextCursor, c.want)
					}
				})
			}
		})

		t.Run("pagination", func(t *testing.T) {
			for _, c := range []struct {
				name, query string
				pages       [][]string
			}{
				{"limit 2", "limit=2", [][]string{id(4, 3), id(2, 1), id(0)}},
				{"limit 1 confirmed", "limit=1&status=CONFIRMED", [][]string{id(4), id(3), id(1)}},
				{"limit 5", "limit=5", [][]string{id(4, 3, 2, 1, 0)}},
				{"limit 100", "limit=100", [][]string{id(4, 3, 2, 1, 0)}},
			} {
				t.Run(c.name, func(t *testing.T) {
					cursor := ""
					for i, want := range c.pages {
						q := c.query
						if cursor != "" {
							q += "&cursor=" + url.QueryEscape(cursor)
						}
						var l listOut
						decode(t, h.tenantAPI(t, h.a, "/v1/tenant/bookings?"+q), &l)
						if got := ids(l); !reflect.DeepEqual(got, want) {
							t.Fatalf("page %d: %q, want %q", i, got, want)
						}
						last := i == len(c.pages)-1
						if last != (l.NextCursor == "") {
							t.Fatalf("page %d of %d: nextCursor %q", i, len(c.pages), l.NextCursor)
						}
						cursor = l.NextCursor
					}
				})
			}
		})

		t.Run("invalid query", func(t *testing.T) {
			cases := []struct {
				name, query string
				fields      []string
			}{
				{"status lower case", "status=confirmed", []string{"status"}},
				{"status unknown", "status=PAID", []string{"status"}},
				{"from not a date", "from=yesterday", []string{"from"}},
				{"from impossible", "from=2026-02-30", []string{"from"}},
				{"to other format", "to=12/20/2026", []string{"to"}},
				{"to with time", "to=2026-12-20T00:00:00Z", []string{"to"}},
				{"limit zero", "limit=0", []string{"limit"}},
				{"limit negative", "limit=-1", []string{"limit"}},
				{"limit too big", "limit=101", []string{"limit"}},
				{"limit word", "limit=ten", []string{"limit"}},
				{"limit fraction", "limit=2.5", []string{"limit"}},
				{"unknown param", "page=2", []string{"page"}},
				{"cursor garbage", "cursor=not-a-cursor", []string{"cursor"}},
				{"cursor base64 junk", "cursor=" + url.QueryEscape("aGVsbG8"), []string{"cursor"}},
				{"several", "status=x&limit=0&sort=date", []string{"limit", "sort", "status"}},
			}
			for _, c := range cases {
				t.Run(c.name, func(t *testing.T) {
					e := wantError(t, h.tenantAPI(t, h.a, "/v1/tenant/bookings?"+c.query), http.StatusBadRequest, frontdesk.EInvalid)
					if got := detailFields(e); !reflect.DeepEqual(got, c.fields) {
						t.Fatalf("detail fields %q, want %q", got, c.fields)
					}
				})
			}
		})

		t.Run("auth", func(t *testing.T) {
			cases := []struct {
				name   string
				header []string
			}{
				{"missing", nil},
				{"empty bearer", []string{"Authorization", "Bearer "}},
				{"unknown key", []string{"Authorization", "Bearer sk_" + frontdesk.NewID() + frontdesk.NewID()}},
				{"publishable key", []string{"Authorization", "Bearer " + h.a.Tenant.PublicKey}},
				{"key hash", []string{"Authorization", "Bearer " + h.a.Tenant.SecretKeyHash}},
				{"basic", []string{"Authorization", "Basic " + h.a.SecretKey}},
				{"no scheme", []string{"Authorization", h.a.SecretKey}},
				{"widget header", []string{"X-Tenant-Key", h.a.Tenant.PublicKey}},
				{"key in header of another name", []string{"X-Api-Key", h.a.SecretKey}},
			}
			for _, c := range cases {
				for _, p := range []string{"/v1/tenant/bookings", "/v1/tenant/bookings/" + bs[0].ID} {
					t.Run(c.name+" "+p[len("/v1/tenant/"):min(len(p), 24)], func(t *testing.T) {
						r := h.do(t, http.MethodGet, p, nil, c.header...)
						wantError(t, r, http.StatusUnauthorized, frontdesk.EUnauthorized)
						if strings.Contains(string(r.Body), h.a.SecretKey) || strings.Contains(string(r.Body), bs[0].ID) {
							t.Fatalf("the answer leaks: %s", r.Body)
						}
					})
				}
			}
			// The scheme is case-insensitive (RFC 9110, section 11.1).
			var l listOut
			decode(t, h.do(t, http.MethodGet, "/v1/tenant/bookings", nil, "Authorization", "bearer "+h.a.SecretKey), &l)
			if len(l.Bookings) != 5 {
				t.Fatalf("%d bookings", len(l.Bookings))
			}
		})

		t.Run("isolation", func(t *testing.T) {
			var l listOut
			decode(t, h.tenantAPI(t, h.b, "/v1/tenant/bookings"), &l)
			if got := ids(l); !reflect.DeepEqual(got, []string{other.ID}) {
				t.Fatalf("tenant b lists %q, want only its own %q", got, other.ID)
			}
			for _, c := range []struct {
				name string
				f    *storetest.Fixture
				path string
			}{
				{"a reads b's booking", h.a, "/v1/tenant/bookings/" + other.ID},
				{"b reads a's booking", h.b, "/v1/tenant/bookings/" + bs[0].ID},
				{"unknown id", h.a, "/v1/tenant/bookings/" + frontdesk.NewID()},
				{"malformed id", h.a, "/v1/tenant/bookings/nope"},
				{"upper-case id", h.a, "/v1/tenant/bookings/" + strings.ToUpper(bs[0].ID)},
				{"confirmation code", h.a, "/v1/tenant/bookings/" + bs[0].ConfirmationCode},
				{"sub-path", h.a, "/v1/tenant/bookings/" + bs[0].ID + "/x"},
			} {
				t.Run(c.name, func(t *testing.T) {
					wantError(t, h.tenantAPI(t, c.f, c.path), http.StatusNotFound, frontdesk.ENotFound)
				})
			}
		})
	})
}

// TestLogsKeepSecrets captures the server log across tenant API calls made
// with the secret key: the key never appears, and every access line names
// the request and the tenant.
func TestLogsKeepSecrets(t *testing.T) {
	eachBackend(t, func(t *testing.T, h *harness) {
		bs := h.tenantBookings(t, h.a)
		wrongKey := "sk_" + frontdesk.NewID() + frontdesk.NewID()
		paths := []string{
			"/v1/tenant/bookings",
			"/v1/tenant/bookings?status=CONFIRMED&limit=1",
			"/v1/tenant/bookings/" + bs[1].ID,
			"/v1/tenant/bookings/" + frontdesk.NewID(),
			"/v1/tenant/bookings?status=nope",
			"/v1/tenant/bookings?cursor=" + h.a.SecretKey, // a key pasted in the wrong place
			"/v1/tenant/bookings?key=" + h.a.SecretKey,
		}
		for _, p := range paths {
			h.tenantAPI(t, h.a, p)
		}
		h.do(t, http.MethodGet, "/v1/tenant/bookings", nil, "Authorization", "Bearer "+wrongKey)
		h.do(t, http.MethodGet, "/v1/tenant/bookings", nil, "Authorization", "Basic "+h.a.SecretKey)

		logs := h.logs.String()
		for _, secret := range []string{h.a.SecretKey, wrongKey, h.a.SecretKey[3:], wrongKey[3:]} {
			if strings.Contains(logs, secret) {
				t.Fatalf("the log contains a secret key:\n%s", logs)
			}
		}
		var authed, refused, invalid int
		for _, line := range strings.Split(strings.TrimSpace(logs), "\n") {
			if !strings.Contains(line, " msg=request ") || !strings.Contains(line, "path=/v1/tenant/") {
				continue
			}
			if !strings.Contains(line, " request_id=") {
				t.Errorf("access line without request_id: %s", line)
			}
			switch {
			case strings.Contains(line, " status=400 "):
				// Input is validated before the key is looked up: no tenant yet.
				invalid++
			case strings.Contains(line, " status=401 "):
				refused++
				if strings.Contains(line, "tenant_id=") {
					t.Errorf("a refused request names a tenant: %s", line)
				}
			default:
				authed++
				if !strings.Contains(line, " tenant_id="+h.a.Tenant.ID+" ") {
					t.Errorf("access line without the tenant: %s", line)
				}
			}
			if strings.Contains(line, "?") {
				t.Errorf("the query string is logged: %s", line)
			}
		}
		if authed != 4 || invalid != 3 || refused != 2 {
			t.Fatalf("%d authenticated, %d invalid and %d refused access lines, want 4, 3 and 2:\n%s", authed, invalid, refused, logs)
		}

		// The request id of the response is the one logged, and a client's
		// own id is kept.
		r := h.do(t, http.MethodGet, "/v1/tenant/bookings", nil, "Authorization", "Bearer "+h.a.SecretKey, "X-Request-Id", "trace-42")
		if r.Header.Get("X-Request-Id") != "trace-42" || !strings.Contains(h.logs.String(), "request_id=trace-42 tenant_id="+h.a.Tenant.ID) {
			t.Fatalf("X-Request-Id %q", r.Header.Get("X-Request-Id"))
		}
		var v map[string]any
		if err := json.Unmarshal(r.Body, &v); err != nil {
			t.Fatal(err)
		}
	})
}
