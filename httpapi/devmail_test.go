package httpapi_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/frontdeskhq/frontdesk"
)

// TestDevMailEscaping books for a customer whose name is a script tag and
// reads the dev mailbox: the name is shown escaped, never as markup.
func TestDevMailEscaping(t *testing.T) {
	eachBackend(t, func(t *testing.T, h *harness) {
		const evil = `<script>alert(1)</script>`
		const escaped = `&lt;script&gt;alert(1)&lt;/script&gt;`
		ctx := context.Background()

		// The guided assistant does not take markup for a name, so the
		// proposal is made as book_service makes it; the session and the
		// confirmation go over HTTP.
		sid := h.newSession(t, h.a)
		pid := h.proposeDirect(t, h.a, sid, frontdesk.BookServiceIn{PackageID: "wedding", Date: "2026-12-18",
			CustomerName: evil, CustomerEmail: "mallory@example.com", Notes: `"><img src=x onerror=alert(2)>`}, testNow.Add(frontdesk.ProposalTTL))
		var c confirmOut
		decode(t, h.confirm(t, h.a, sid, pid), &c)
		if !c.Success || c.BookingID == "" {
			t.Fatalf("confirm %+v", c)
		}

		noRaw := func(t *testing.T, what, page string) {
			t.Helper()
			for _, raw := range []string{evil, "<script", "<img src=x"} {
				if strings.Contains(page, raw) {
					t.Fatalf("%s contains the raw %q:\n%s", what, raw, page)
				}
			}
		}
		list := wantHTML(t, h.do(t, http.MethodGet, "/dev/mail", nil), http.StatusOK, escaped)
		noRaw(t, "/dev/mail", list)

		mails, err := h.store.ListEmails(ctx, h.a.Tenant.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(mails) != 2 {
			t.Fatalf("%d emails, want the customer's and the tenant's", len(mails))
		}
		for _, m := range mails {
			t.Run(m.Kind, func(t *testing.T) {
				show := wantHTML(t, h.do(t, http.MethodGet, "/dev/mail/"+m.ID, nil), http.StatusOK, escaped, `<iframe sandbox="" srcdoc="`, `href="/dev/mail/`+m.ID+`/html"`)
				noRaw(t, "/dev/mail/{id}", show)

				r := h.do(t, http.MethodGet, "/dev/mail/"+m.ID+"/html", nil)
				body := wantHTML(t, r, http.StatusOK)
				csp := r.Header.Get("Content-Security-Policy")
				if !strings.Contains(csp, "sandbox") || !strings.Contains(csp, "default-src 'none'") {
					t.Fatalf("Content-Security-Policy %q", csp)
				}
				// The email's own HTML escapes the name too.
				noRaw(t, "the email's HTML", body)
			})
		}

		t.Run("unknown and malformed ids", func(t *testing.T) {
			for _, p := range []string{"/dev/mail/" + frontdesk.NewID(), "/dev/mail/nope", "/dev/mail/" + frontdesk.NewID() + "/html", "/dev/mail/nope/html"} {
				wantError(t, h.do(t, http.MethodGet, p, nil), http.StatusNotFound, frontdesk.ENotFound)
			}
		})
	})
}
