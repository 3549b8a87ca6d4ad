package dashboard_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/frontdeskhq/frontdesk"
	"github.com/frontdeskhq/frontdesk/browsertest"
	"github.com/frontdeskhq/frontdesk/dashboard"
	"github.com/frontdeskhq/frontdesk/mail"
	"github.com/frontdeskhq/frontdesk/storetest"
)

func TestInboxList(t *testing.T) {
	eachBackend(t, func(t *testing.T, h *harness) {
		var pending []*frontdesk.Escalation
		for i := 0; i < 27; i++ {
			pending = append(pending, ibEscalation(t, h, h.a, "Question number "+strconv.Itoa(i), "c@example.com", "", frontdesk.EscalationPending,
				testNow.Add(-time.Duration(i+1)*time.Minute)))
		}
		ack := ibEscalation(t, h, h.a, "Being handled", "", "+1 555 0100", frontdesk.EscalationAcknowledged, testNow.Add(-time.Hour))
		done := ibEscalation(t, h, h.a, "All done "+ibScript, "", "", frontdesk.EscalationResolved, testNow.Add(-2*time.Hour))
		other := ibEscalation(t, h, h.b, "Another business's customer", "b@example.com", "", frontdesk.EscalationPending, testNow)
		o := h.signIn(t, h.a)

		// Open is the default tab: the newest 25 pending, then the next page.
		p := o.get(t, "/dashboard/escalations")
		wantPage(t, p, http.StatusOK, "Inbox", `aria-current="page">Open</a>`, pending[0].ID, pending[24].ID, "Older →")
		for _, e := range []*frontdesk.Escalation{pending[25], ack, done, other} {
			if strings.Contains(p.Body, e.ID) {
				t.Errorf("the first page of open escalations lists %q", e.Reason)
			}
		}
		older := regexp.MustCompile(`href="([^"]*cursor=[^"]*)">Older`).FindStringSubmatch(p.Body)
		if older == nil {
			t.Fatal("no link to the older page")
		}
		p = o.get(t, strings.ReplaceAll(older[1], "&amp;", "&"))
		wantPage(t, p, http.StatusOK, pending[25].ID, pending[26].ID, "← Newest")
		if strings.Contains(p.Body, pending[24].ID) || strings.Contains(p.Body, "Older →") {
			t.Error("the second page repeats the first or offers a third")
		}

		wantPage(t, o.get(t, "/dashboard/escalations?status=acknowledged"), http.StatusOK, ack.ID, "&#43;1 555 0100", "Acknowledged")
		p = o.get(t, "/dashboard/escalations?status=resolved")
		wantPage(t, p, http.StatusOK, done.ID, "All done &lt;script&gt;alert(1)&lt;/script&gt;")
		if strings.Contains(p.Body, ibScript) || strings.Contains(p.Body, ack.ID) {
			t.Error("the resolved tab lists another status or an unescaped <script>")
		}
		p = o.get(t, "/dashboard/escalations?status=all")
		wantPage(t, p, http.StatusOK, pending[0].ID, "Older →")

		// A tab or a page link that does not exist.
		wantPage(t, o.get(t, "/dashboard/escalations?status=spam"), http.StatusBadRequest, "no such list", pending[0].ID)
		wantPage(t, o.get(t, "/dashboard/escalations?cursor=garbage!"), http.StatusBadRequest, "first page", pending[0].ID)

		// The other business sees only its own.
		ob := h.signIn(t, h.b)
		p = ob.get(t, "/dashboard/escalations?status=all")
		wantPage(t, p, http.StatusOK, other.ID)
		if strings.Contains(p.Body, pending[0].ID) {
			t.Error("another business's escalations are listed")
		}
		wantPage(t, h.signIn(t, h.b).get(t, "/dashboard/escalations?status=resolved"), http.StatusOK, "No resolved escalations.")
	})
}

func TestEscalationDetail(t *testing.T) {
	eachBackend(t, func(t *testing.T, h *harness) {
		e := ibEscalation(t, h, h.a, "Wants to move "+ibScript, "ann@example.com", "+1 555 0100", frontdesk.EscalationPending, testNow.Add(-time.Hour))
		anon := &owner{h: h, client: h.client}
		// The link in the owner's email: sign in, then back to the escalation.
		r := anon.get(t, "/dashboard/escalations/"+e.ID)
		if r.Status != http.StatusSeeOther || r.Location != "/dashboard/signin?next="+url.QueryEscape("/dashboard/escalations/"+e.ID) {
			t.Fatalf("without a session: %d %q", r.Status, r.Location)
		}
		link, err := dashboard.NewLoginLink(context.Background(), h.store, h.srv.URL, h.a.Tenant, h.a.Tenant.ContactEmail,
			"/dashboard/escalations/"+e.ID, h.clock.Now())
		if err != nil {
			t.Fatal(err)
		}
		o := &owner{h: h, client: newJarClient()}
		r = o.post(t, link, url.Values{})
		if r.Status != http.StatusSeeOther || r.Location != "/dashboard/escalations/"+e.ID {
			t.Fatalf("sign-in link: %d %q", r.Status, r.Location)
		}
		p := o.follow(t, r)
		wantPage(t, p, http.StatusOK, "Wants to move &lt;script&gt;alert(1)&lt;/script&gt;", `href="mailto:ann@example.com"`,
			"&#43;1 555 0100", "Thu 10 Dec 2026, 9:00 AM EST", "Open",
			"<strong>Customer</strong>", "Can I bring my dog &lt;script&gt;alert(1)&lt;/script&gt;?", "<strong>Assistant</strong>",
			`action="/dashboard/escalations/`+e.ID+`/status"`, `value="ACKNOWLEDGED"`, "Mark acknowledged", "Mark resolved",
			`action="/dashboard/escalations/`+e.ID+`/reply"`, `<label for="message">`, `id="message"`, `name="csrf"`,
			"Your reply to ann@example.com", "owner@lumen-studio.test")
		if strings.Contains(p.Body, ibScript) {
			t.Error("the customer's <script> reaches the page unescaped")
		}

		// Another business: not found, whatever the action; nothing changes.
		ob := h.signIn(t, h.b)
		wantPage(t, ob.get(t, "/dashboard/escalations/"+e.ID), http.StatusNotFound)
		wantPage(t, ob.post(t, "/dashboard/escalations/"+e.ID+"/status", url.Values{"status": {"RESOLVED"}}), http.StatusNotFound)
		wantPage(t, ob.post(t, "/dashboard/escalations/"+e.ID+"/reply", url.Values{"message": {"hi"}}), http.StatusNotFound)
		wantPage(t, o.get(t, "/dashboard/escalations/"+frontdesk.NewID()), http.StatusNotFound)
		ibWantStatus(t, h, e.ID, frontdesk.EscalationPending)
		if n := ibReplies(t, h, e.ID); len(n) != 0 {
			t.Fatalf("another business's post queued %d replies", len(n))
		}
	})
}

func TestEscalationStatus(t *testing.T) {
	eachBackend(t, func(t *testing.T, h *harness) {
		e := ibEscalation(t, h, h.a, "Question", "ann@example.com", "", frontdesk.EscalationPending, testNow.Add(-time.Hour))
		o := h.signIn(t, h.a)
		path := "/dashboard/escalations/" + e.ID
		steps := []struct {
			was, to, flash, next string
		}{
			{"PENDING", "ACKNOWLEDGED", "Marked as acknowledged.", "Mark resolved"},
			{"ACKNOWLEDGED", "RESOLVED", "Marked as resolved.", "Reopen"},
			{"RESOLVED", "PENDING", "Reopened", "Mark acknowledged"},
		}
		for _, st := range steps {
			r := o.post(t, path+"/status", url.Values{"status": {st.to}, "was": {st.was}})
			if r.Location != path {
				t.Fatalf("%s: redirected to %q", st.to, r.Location)
			}
			wantPage(t, o.follow(t, r), http.StatusOK, st.flash, st.next)
			ibWantStatus(t, h, e.ID, st.to)
		}

		// A stale page: someone resolved it meanwhile; the acknowledge
		// from the old page changes nothing and says what happened.
		if _, err := h.dash.Business.SetEscalationStatus(context.Background(), h.a.Tenant, e.ID, frontdesk.EscalationResolved); err != nil {
			t.Fatal(err)
		}
		wantPage(t, o.post(t, path+"/status", url.Values{"status": {"ACKNOWLEDGED"}, "was": {"PENDING"}}), http.StatusConflict,
			"was marked resolved", "Nothing was changed")
		ibWantStatus(t, h, e.ID, frontdesk.EscalationResolved)

		// A status that does not exist.
		wantPage(t, o.post(t, path+"/status", url.Values{"status": {"DELETED"}, "was": {"RESOLVED"}}), http.StatusBadRequest, "Choose one of the buttons")
		ibWantStatus(t, h, e.ID, frontdesk.EscalationResolved)

		// Without the form token: refused.
		wantPage(t, o.post(t, path+"/status", url.Values{"status": {"PENDING"}, "csrf": {"nope"}}), http.StatusForbidden)
		ibWantStatus(t, h, e.ID, frontdesk.EscalationResolved)
	})
}

func TestEscalationReply(t *testing.T) {
	eachBackend(t, func(t *testing.T, h *harness) {
		e := ibEscalation(t, h, h.a, "Can I move my wedding?", "ann@example.com", "", frontdesk.EscalationPending, testNow.Add(-time.Hour))
		o := h.signIn(t, h.a)
		path := "/dashboard/escalations/" + e.ID
		form := o.get(t, path)
		rid := regexp.MustCompile(`name="reply_id" value="([0-9a-f]{32})"`).FindStringSubmatch(form.Body)
		if rid == nil {
			t.Fatalf("no reply id in the form:\n%s", form.Body)
		}

		// Errors: next to the field, what was typed kept, nothing sent.
		long := strings.Repeat("x", 10001)
		p := o.post(t, path+"/reply", url.Values{"message": {"   \r\n "}, "reply_id": {rid[1]}})
		wantPage(t, p, http.StatusBadRequest, `class="alert"`, `id="message-error"`, "Write your reply.", `aria-invalid="true"`,
			`aria-describedby="message-hint message-error"`)
		p = o.post(t, path+"/reply", url.Values{"message": {long}, "reply_id": {rid[1]}})
		wantPage(t, p, http.StatusBadRequest, "Keep the reply under 10000 characters", long, `value="`+rid[1]+`"`)
		if n := ibReplies(t, h, e.ID); len(n) != 0 {
			t.Fatalf("%d replies queued by invalid forms", len(n))
		}
		ibWantStatus(t, h, e.ID, frontdesk.EscalationPending)

		// The reply: queued to the customer, replies back to the business,
		// and the escalation is acknowledged.
		msg := "Hi Ann,\r\n\r\nYes, " + ibScript + " any Saturday in June works."
		r := o.post(t, path+"/reply", url.Values{"message": {msg}, "reply_id": {rid[1]}})
		if r.Status != http.StatusSeeOther || r.Location != path {
			t.Fatalf("reply: %d %q %s", r.Status, r.Location, r.Body)
		}
		p = o.follow(t, r)
		wantPage(t, p, http.StatusOK, "Your reply to ann@example.com is on its way.", "marked acknowledged", "Replies sent",
			"Yes, &lt;script&gt;alert(1)&lt;/script&gt; any Saturday in June works.", "Waiting to be sent")
		if strings.Contains(p.Body, ibScript) {
			t.Error("the reply's <script> reaches the page unescaped")
		}
		ibWantStatus(t, h, e.ID, frontdesk.EscalationAcknowledged)
		sent := ibReplies(t, h, e.ID)
		if len(sent) != 1 {
			t.Fatalf("%d replies queued, want 1", len(sent))
		}
		m := sent[0]
		if m.Kind != mail.EmailEscalationReply || m.Email.To != "ann@example.com" || m.Email.ReplyTo != h.a.Tenant.ContactEmail ||
			m.Email.From != h.dash.MailFrom || !strings.Contains(m.Email.Text, "Yes, "+ibScript+" any Saturday") ||
			strings.Contains(m.Email.HTML, ibScript) || m.Status != frontdesk.EmailPending {
			t.Fatalf("the queued reply: %+v", m)
		}

		// The same form sent again (a double click): still one email.
		o.post(t, path+"/reply", url.Values{"message": {msg}, "reply_id": {rid[1]}})
		if n := len(ibReplies(t, h, e.ID)); n != 1 {
			t.Fatalf("a form sent twice queued %d replies", n)
		}
		// A second reply, resolving the escalation.
		r = o.post(t, path+"/reply", url.Values{"message": {"See you then."}, "reply_id": {frontdesk.NewID()}, "resolve": {"1"}})
		wantPage(t, o.follow(t, r), http.StatusOK, "The escalation is resolved.", "See you then.")
		ibWantStatus(t, h, e.ID, frontdesk.EscalationResolved)
		if n := len(ibReplies(t, h, e.ID)); n != 2 {
			t.Fatalf("%d replies queued, want 2", n)
		}

		// No email on the escalation: a note instead of the form, and a
		// post is refused.
		phone := ibEscalation(t, h, h.a, "Call me", "", "+1 555 0199", frontdesk.EscalationPending, testNow)
		p = o.get(t, "/dashboard/escalations/"+phone.ID)
		wantPage(t, p, http.StatusOK, "left no email address", `href="tel:&#43;15550199"`)
		if strings.Contains(p.Body, `name="message"`) {
			t.Error("a reply form for an escalation without an email")
		}
		wantPage(t, o.post(t, "/dashboard/escalations/"+phone.ID+"/reply", url.Values{"message": {"hello"}}), http.StatusBadRequest,
			"nobody to send a reply to")
		if n := len(ibReplies(t, h, phone.ID)); n != 0 {
			t.Fatalf("%d replies queued without an address", n)
		}
		ibWantStatus(t, h, phone.ID, frontdesk.EscalationPending)
	})
}

func ibWantStatus(t *testing.T, h *harness, id, want string) {
	t.Helper()
	e, err := h.store.Escalation(context.Background(), h.a.Tenant.ID, id)
	if err != nil {
		t.Fatal(err)
	}
	if e.Status != want {
		t.Fatalf("escalation status %s, want %s", e.Status, want)
	}
}

// ibReplies lists the replies queued for an escalation of tenant a.
func ibReplies(t *testing.T, h *harness, escalationID string) []*frontdesk.OutboxEmail {
	t.Helper()
	es, err := h.store.ListEmails(context.Background(), h.a.Tenant.ID)
	if err != nil {
		t.Fatal(err)
	}
	var out []*frontdesk.OutboxEmail
	for _, e := range es {
		if strings.HasPrefix(e.IdempotencyKey, "escalation_reply:"+escalationID+":") {
			out = append(out, e)
		}
	}
	return out
}

// TestInboxScreenshots takes screenshots of the home, inbox and analytics
// pages at 1280×800 and 390×844 under the artifacts directory's
// dashboard-inbox (see browsertest), and checks that no page is wider than
// the screen and that each passes browsertest.A11y.
func TestInboxScreenshots(t *testing.T) {
	browsertest.Chromium(t)
	dir := browsertest.ArtifactsDir(t, "dashboard-inbox")
	h := sqliteHarness(t)
	ibSeedAnalytics(t, h)
	ctx := context.Background()
	bad := ibCustomer(t, h, h.a, ibScript, "evil@example.com")
	ibBooking(t, h, h.a, h.a.Portrait, bad, ibNY(12, 10, 14, 0), frontdesk.StatusConfirmed, testNow.Add(-48*time.Hour))
	ibBooking(t, h, h.a, h.a.Free, bad, ibNY(12, 10, 16, 0), frontdesk.StatusConfirmed, testNow.Add(-48*time.Hour))
	ibBooking(t, h, h.a, h.a.Wedding, bad, ibNY(12, 12, 0, 0), frontdesk.StatusPending, testNow.Add(-time.Hour))
	withEmail := ibEscalation(t, h, h.a, "I'd like to move my wedding to June, and ask about a second photographer. "+ibScript,
		"ann.longname.with.many.parts@example-photography-clients.com", "+1 555 0100", frontdesk.EscalationPending, testNow.Add(-time.Hour))
	phoneOnly := ibEscalation(t, h, h.a, "Call me back please", "", "+1 555 0199", frontdesk.EscalationAcknowledged, testNow.Add(-3*time.Hour))
	ibEscalation(t, h, h.a, "Old question", "x@example.com", "", frontdesk.EscalationResolved, testNow.Add(-30*time.Hour))
	if err := h.store.EnqueueEmail(ctx, &frontdesk.OutboxEmail{ID: frontdesk.NewID(), TenantID: h.a.Tenant.ID,
		IdempotencyKey: "escalation_reply:" + withEmail.ID + ":x", Kind: mail.EmailEscalationReply,
		Email:         frontdesk.Email{To: withEmail.CustomerEmail, Subject: "Re", Text: "Hi Ann,\n\nLet me check the calendar and come back to you today.\n\nYou asked us: ..."},
		NextAttemptAt: testNow, CreatedAt: testNow.Add(-30 * time.Minute)}); err != nil {
		t.Fatal(err)
	}
	for _, p := range []*frontdesk.Package{h.b.Wedding, h.b.Portrait, h.b.Free, h.b.Retired} {
		if err := h.store.DeletePackage(ctx, h.b.Tenant.ID, p.ID); err != nil {
			t.Fatal(err)
		}
	}

	bctx, cancel := context.WithTimeout(browsertest.New(t, 1280, 800, false), 3*time.Minute)
	defer cancel()
	shot := func(name string) {
		t.Helper()
		browsertest.Shot(t, bctx, dir, name)
	}
	do := func(name string, actions ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(bctx, actions...); err != nil {
			shot("failed-" + name)
			t.Fatalf("%s: %v", name, err)
		}
	}
	signIn := func(f *storetest.Fixture) {
		t.Helper()
		link, err := dashboard.NewLoginLink(ctx, h.store, h.srv.URL, f.Tenant, f.Tenant.ContactEmail, "", h.clock.Now())
		if err != nil {
			t.Fatal(err)
		}
		signInBrowser(t, bctx, link)
		do("sign in", chromedp.WaitVisible(chromedp.CSS("h1")))
	}
	pages := []struct{ name, path, wait string }{
		{"1-home", "/dashboard/", "#agenda-h"},
		{"2-inbox", "/dashboard/escalations", "table"},
		{"3-escalation", "/dashboard/escalations/" + withEmail.ID, "#message"},
		{"4-escalation-no-email", "/dashboard/escalations/" + phoneOnly.ID, ".note"},
		{"5-analytics", "/dashboard/analytics", "svg.chart"},
		{"6-analytics-90", "/dashboard/analytics?from=2026-09-12&to=2026-12-10", "svg.chart"},
		{"7-analytics-error", "/dashboard/analytics?from=2026-12-10&to=2026-12-01", "#to-error"},
	}
	sizes := []struct {
		name          string
		width, height int
		mobile        bool
	}{{"wide", 1280, 800, false}, {"phone", 390, 844, true}}
	for _, size := range sizes {
		do("viewport", browsertest.Viewport(size.width, size.height, size.mobile))
		signIn(h.a)
		for _, p := range pages {
			do(p.name, chromedp.Navigate(h.srv.URL+p.path), chromedp.WaitVisible(chromedp.CSS(p.wait)))
			ibCheckPage(t, bctx, p.name)
			shot(p.name + "-" + size.name)
		}
		// The analytics sections one by one, to read them at full size.
		do("analytics again", chromedp.Navigate(h.srv.URL+"/dashboard/analytics"), chromedp.WaitVisible(chromedp.CSS("svg.chart")))
		for _, sec := range []string{"sum-h", "activity-h", "funnel-h", "csat-h", "cost-h"} {
			browsertest.ShotOf(t, bctx, dir, "5-analytics-"+sec+"-"+size.name, `section[aria-labelledby="`+sec+`"]`)
		}
		// The reply form with an error, as the owner sees it.
		do("reply error", chromedp.Navigate(h.srv.URL+"/dashboard/escalations/"+withEmail.ID), chromedp.WaitVisible(chromedp.CSS("#message")),
			chromedp.Evaluate[chromedp.Void](`document.getElementById('message').removeAttribute('required'); document.getElementById('message').value = '   '`),
			chromedp.Click(chromedp.CSS(`form[action$="/reply"] button[type=submit]`)), chromedp.WaitVisible(chromedp.CSS("#message-error")))
		shot("8-reply-error-" + size.name)
		signIn(h.b)
		do("get started", chromedp.Navigate(h.srv.URL+"/dashboard/"), chromedp.WaitVisible(chromedp.CSS("#getstarted-h")))
		ibCheckPage(t, bctx, "get started")
		shot("9-home-get-started-" + size.name)
	}
	t.Logf("screenshots under %s", dir)
}

// ibCheckPage reports what browsertest.A11y finds wrong with the page:
// wider than the screen, an input without a label, headings out of order.
func ibCheckPage(t *testing.T, bctx context.Context, name string) {
	t.Helper()
	problems, err := browsertest.A11y(bctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(problems) > 0 {
		t.Errorf("%s: %s", name, strings.Join(problems, "; "))
	}
}
