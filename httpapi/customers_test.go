package httpapi_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/frontdeskhq/frontdesk/storetest"
)

// TestCustomerExportAndErase: the export holds every kind of record kept
// about the person; the erasure leaves their name, email and phone in no
// text column of the database, keeps their bookings, is logged with ids
// only and answers 200 again; another tenant's key gets 404 for both.
func TestCustomerExportAndErase(t *testing.T) {
	eachBackend(t, func(t *testing.T, h *harness) {
		p := storetest.SeedPerson(t, h.store, h.a, "Zebulon Quartermaine", "Zeb.Quartermaine@Example.org", "+1 555 0199 321")
		path := "/v1/tenant/customers/" + p.Customer.ID

		wantError(t, h.owner(t, h.b, http.MethodGet, path+"/export", nil), http.StatusNotFound, "not_found")
		wantError(t, h.owner(t, h.b, http.MethodDelete, path, nil), http.StatusNotFound, "not_found")

		r := h.owner(t, h.a, http.MethodGet, path+"/export", nil)
		if r.Status != http.StatusOK {
			t.Fatalf("export = %s", r)
		}
		var ex struct {
			Profile  struct{ ID, Name, Email, Phone string }
			Bookings []struct {
				ID, ConfirmationCode, Status, PackageName, Notes string
				TotalPriceCents                                  int64
			}
			Transcripts []struct{ BookingID, Transcript string }
			Chats       []struct {
				SessionID string
				Messages  []struct{ Role, Content string }
			}
			Feedback       []struct{ Type, Comment string }
			Escalations    []struct{ Reason, CustomerEmail, CustomerPhone, Summary string }
			Emails         []struct{ Kind, Subject, Status string }
			CustomerTokens []struct {
				BookingID, Name, Email, Phone string
				EarlierBookingIDs             []string
			}
		}
		unmarshal(t, r, &ex)
		if ex.Profile.ID != p.Customer.ID || ex.Profile.Name != "Zebulon Quartermaine" || ex.Profile.Email != "Zeb.Quartermaine@Example.org" || ex.Profile.Phone != "+1 555 0199 321" {
			t.Errorf("profile = %+v", ex.Profile)
		}
		if len(ex.Bookings) != 2 || ex.Bookings[0].ConfirmationCode == "" || ex.Bookings[0].PackageName == "" || !strings.Contains(ex.Bookings[0].Notes, "Zebulon") {
			t.Errorf("bookings = %+v", ex.Bookings)
		}
		if len(ex.Transcripts) != 1 || !strings.Contains(ex.Transcripts[0].Transcript, "Zebulon") {
			t.Errorf("transcripts = %+v", ex.Transcripts)
		}
		if len(ex.Chats) != 2 || len(ex.Chats[0].Messages) != 2 || len(ex.Chats[1].Messages) != 2 {
			t.Errorf("chats = %+v", ex.Chats)
		}
		if len(ex.Feedback) != 1 || ex.Feedback[0].Comment == "" {
			t.Errorf("feedback = %+v", ex.Feedback)
		}
		if len(ex.Escalations) != 1 || ex.Escalations[0].CustomerEmail != "Zeb.Quartermaine@Example.org" {
			t.Errorf("escalations = %+v", ex.Escalations)
		}
		if len(ex.Emails) != 2 || ex.Emails[0].Kind != "confirmation" || ex.Emails[0].Subject == "" || ex.Emails[1].Status != "PENDING" {
			t.Errorf("emails = %+v", ex.Emails)
		}
		if len(ex.CustomerTokens) != 1 || ex.CustomerTokens[0].BookingID != p.Bookings[1].ID || ex.CustomerTokens[0].Name != "Zebulon Quartermaine" ||
			ex.CustomerTokens[0].Phone != "+1 555 0199 321" || len(ex.CustomerTokens[0].EarlierBookingIDs) != 1 || ex.CustomerTokens[0].EarlierBookingIDs[0] != p.Bookings[0].ID {
			t.Errorf("customer tokens = %+v", ex.CustomerTokens)
		}
		if strings.Contains(string(r.Body), "<p>") {
			t.Error("the export carries an email's body")
		}

		for i := 0; i < 2; i++ { // the second erasure is a no-op, still 200
			r = h.owner(t, h.a, http.MethodDelete, path, nil)
			if r.Status != http.StatusOK || strings.TrimSpace(string(r.Body)) != `{"erased":true}` {
				t.Fatalf("erase #%d = %s", i+1, r)
			}
		}
		if left := storetest.TextLeft(t, h.store, p.Needles...); len(left) > 0 {
			t.Fatalf("after erasure the person is still in:\n%s", strings.Join(left, "\n"))
		}
		for _, b := range p.Bookings {
			if got := h.booking(t, h.a, b.ID); got.Customer.Name != "Erased customer" || got.ConfirmationCode != b.ConfirmationCode {
				t.Errorf("booking after erasure = %+v", got)
			}
		}
		unmarshal(t, h.owner(t, h.a, http.MethodGet, path+"/export", nil), &ex)
		if ex.Profile.Name != "Erased customer" || len(ex.Bookings) != 2 || len(ex.Transcripts)+len(ex.Chats)+len(ex.Feedback)+len(ex.Escalations)+len(ex.Emails)+len(ex.CustomerTokens) != 0 {
			t.Errorf("export after erasure = %+v", ex)
		}
		logs := h.logs.String()
		if !strings.Contains(logs, "customer erased") || !strings.Contains(logs, p.Customer.ID) {
			t.Errorf("the erasure is not logged:\n%s", logs)
		}
		for _, n := range p.Needles {
			if strings.Contains(strings.ToLower(logs), strings.ToLower(n)) {
				t.Errorf("the log names %q", n)
			}
		}
	})
}
