package dashboard

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/frontdeskhq/frontdesk"
	"github.com/frontdeskhq/frontdesk/booking"
	"github.com/frontdeskhq/frontdesk/mail"
)

// inboxRoutes lists the escalations inbox and the analytics pages.
func (s *Server) inboxRoutes() []route {
	return append([]route{
		{pattern: "GET " + Prefix + "/escalations", handle: s.escalationList},
		{pattern: "GET " + Prefix + "/escalations/{id}", handle: s.escalationPage},
		{pattern: "POST " + Prefix + "/escalations/{id}/status", handle: s.escalationStatus},
		{pattern: "POST " + Prefix + "/escalations/{id}/reply", handle: s.escalationReply},
	}, s.analyticsRoutes()...)
}

// inboxTab is one status tab of the inbox.
type inboxTab struct {
	Key, Label, Status string // Status: the store's filter ("" for all)
}

var inboxTabs = []inboxTab{
	{"open", "Open", frontdesk.EscalationPending},
	{"acknowledged", "Acknowledged", frontdesk.EscalationAcknowledged},
	{"resolved", "Resolved", frontdesk.EscalationResolved},
	{"all", "All", ""},
}

// inboxPageSize is how many escalations one page of the inbox lists.
const inboxPageSize = 25

// pillLink is one of a row of links shown as pills (tabs, quick ranges).
type pillLink struct {
	Label, Href string
	Current     bool
}

type inboxView struct {
	Tabs  []pillLink
	Tab   string // the current tab's label
	Key   string
	Items []escLine
	// Older is the link to the next page; Newest the link back to the
	// first when this is not it.
	Older, Newest string
	Alert         string
}

// escalationList is the inbox: escalations by status, newest first.
func (s *Server) escalationList(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	q := r.URL.Query()
	key := q.Get("status")
	if key == "" {
		key = "open"
	}
	tab, ok := inboxTab{}, false
	for _, t := range inboxTabs {
		if strings.EqualFold(t.Key, key) || (t.Status != "" && strings.EqualFold(t.Status, key)) {
			tab, ok = t, true
		}
	}
	v := inboxView{}
	status := http.StatusOK
	if !ok {
		tab, status = inboxTabs[0], http.StatusBadRequest
		v.Alert = "There is no such list; here are the open escalations."
	}
	v.Tab, v.Key = tab.Label, tab.Key
	for _, t := range inboxTabs {
		v.Tabs = append(v.Tabs, pillLink{Label: t.Label, Href: Prefix + "/escalations?status=" + t.Key, Current: t.Key == tab.Key})
	}
	cursor := q.Get("cursor")
	page, err := s.Store.ListEscalations(r.Context(), c.Tenant.ID, frontdesk.EscalationFilter{Status: tab.Status, Limit: inboxPageSize, Cursor: cursor})
	if frontdesk.IsCode(err, frontdesk.EInvalid) && cursor != "" {
		// A page link from long ago, or a typed one: start again.
		cursor, status = "", http.StatusBadRequest
		v.Alert = "That page of the list could not be found; here is the first page."
		page, err = s.Store.ListEscalations(r.Context(), c.Tenant.ID, frontdesk.EscalationFilter{Status: tab.Status, Limit: inboxPageSize})
	}
	if err != nil {
		s.fail(w, r, c, err)
		return
	}
	for _, e := range page.Escalations {
		v.Items = append(v.Items, escLineOf(c.Tenant, e))
	}
	if page.NextCursor != "" {
		v.Older = Prefix + "/escalations?status=" + tab.Key + "&cursor=" + url.QueryEscape(page.NextCursor)
	}
	if cursor != "" {
		v.Newest = Prefix + "/escalations?status=" + tab.Key
	}
	s.render(w, r, c, status, "escalations", "Inbox: "+tab.Label, "inbox", v)
}

// escalationView is one escalation with what the owner can do about it.
type escalationView struct {
	ID       string
	Reason   string
	Email    string
	Phone    string
	Tel      string // Phone for a tel: link
	When     string
	Status   string
	Label    string
	Lines    []escMessage
	Actions  []escAction
	CanReply bool
	// From and ReplyTo say where the reply comes from and where the
	// customer's answer goes.
	From, ReplyTo string
	ReplyID       string
	Form          *form // the reply form, as typed
	// StatusAlert is the message of a status change that did not happen.
	StatusAlert string
	Replies     []escReply
}

// escMessage is one message of the conversation.
type escMessage struct{ Who, Text string }

// escAction is a button that moves the escalation to Status.
type escAction struct {
	Status, Label string
	Primary       bool
}

// escReply is a reply already queued for this escalation.
type escReply struct {
	When, Status, Text string
}

// escReplyKey starts the outbox key of every reply to an escalation.
func escReplyKey(escalationID string) string { return "escalation_reply:" + escalationID + ":" }

// escReplyMax bounds a reply.
const escReplyMax = 10000

func (s *Server) escalationPage(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	s.showEscalation(w, r, c, http.StatusOK, nil, "")
}

// showEscalation renders the escalation of the request's {id}, with the
// reply form as typed (nil: empty) and a failed status change's message.
func (s *Server) showEscalation(w http.ResponseWriter, r *http.Request, c *reqCtx, status int, f *form, statusAlert string) {
	e, err := s.Store.Escalation(r.Context(), c.Tenant.ID, r.PathValue("id"))
	if err != nil {
		s.fail(w, r, c, err)
		return
	}
	v := escalationView{ID: e.ID, Reason: strings.TrimSpace(e.Reason), Email: e.CustomerEmail, Phone: e.CustomerPhone,
		Tel:  telLink(e.CustomerPhone),
		When: localInstant(c.Tenant, e.CreatedAt), Status: e.Status, Label: escStatusLabel(e.Status),
		Lines: escTranscript(e.Summary), Form: f, StatusAlert: statusAlert,
		CanReply: escCanReply(e.CustomerEmail), From: s.MailFrom, ReplyTo: c.Tenant.ContactEmail, ReplyID: frontdesk.NewID()}
	if f != nil && frontdesk.ValidID(f.Get("reply_id")) {
		v.ReplyID = f.Get("reply_id")
	}
	switch e.Status {
	case frontdesk.EscalationPending:
		v.Actions = []escAction{{frontdesk.EscalationAcknowledged, "Mark acknowledged", true}, {frontdesk.EscalationResolved, "Mark resolved", false}}
	case frontdesk.EscalationAcknowledged:
		v.Actions = []escAction{{frontdesk.EscalationResolved, "Mark resolved", true}, {frontdesk.EscalationPending, "Reopen", false}}
	default:
		v.Actions = []escAction{{frontdesk.EscalationPending, "Reopen", false}}
	}
	emails, err := s.Store.ListEmails(r.Context(), c.Tenant.ID)
	if err != nil {
		s.fail(w, r, c, err)
		return
	}
	for _, m := range emails {
		if m.Kind != mail.EmailEscalationReply || !strings.HasPrefix(m.IdempotencyKey, escReplyKey(e.ID)) {
			continue
		}
		st := "Waiting to be sent"
		switch m.Status {
		case frontdesk.EmailSent:
			st = "Sent"
		case frontdesk.EmailDead:
			st = "Could not be delivered"
		}
		v.Replies = append(v.Replies, escReply{When: localInstant(c.Tenant, m.CreatedAt), Status: st, Text: mail.EscalationReplyMessage(m.Email)})
	}
	slices.Reverse(v.Replies) // the outbox lists newest first; a conversation reads oldest first
	s.render(w, r, c, status, "escalation", "Escalation", "inbox", v)
}

// escalationStatus acknowledges, resolves or reopens an escalation. The
// form says which status the owner saw: when it changed meanwhile, nothing
// is changed and the page says what happened.
func (s *Server) escalationStatus(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	id := r.PathValue("id")
	e, err := s.Store.Escalation(r.Context(), c.Tenant.ID, id)
	if err != nil {
		s.fail(w, r, c, err)
		return
	}
	to := r.PostForm.Get("status")
	if was := r.PostForm.Get("was"); was != "" && was != e.Status {
		s.showEscalation(w, r, c, http.StatusConflict, nil,
			"While this page was open, the escalation was marked "+strings.ToLower(escStatusLabel(e.Status))+
				". Nothing was changed: check it and choose again.")
		return
	}
	if to == e.Status {
		s.done(w, r, Prefix+"/escalations/"+id, "This escalation was already "+strings.ToLower(escStatusLabel(to))+".")
		return
	}
	if _, err := s.Business.SetEscalationStatus(r.Context(), c.Tenant, id, to); err != nil {
		if frontdesk.IsCode(err, frontdesk.EInvalid) {
			s.showEscalation(w, r, c, http.StatusBadRequest, nil, "Choose one of the buttons below.")
			return
		}
		s.fail(w, r, c, err)
		return
	}
	msg := map[string]string{
		frontdesk.EscalationAcknowledged: "Marked as acknowledged.",
		frontdesk.EscalationResolved:     "Marked as resolved.",
		frontdesk.EscalationPending:      "Reopened: it is back with the open escalations.",
	}[to]
	s.done(w, r, Prefix+"/escalations/"+id, msg)
}

// escalationReply emails the owner's answer to the customer through the
// outbox and marks an open escalation acknowledged (or resolved, when the
// owner asks).
func (s *Server) escalationReply(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	id := r.PathValue("id")
	e, err := s.Store.Escalation(r.Context(), c.Tenant.ID, id)
	if err != nil {
		s.fail(w, r, c, err)
		return
	}
	f := newForm(r.PostForm)
	if !escCanReply(e.CustomerEmail) {
		f.Alert = "The customer left no email address, so there is nobody to send a reply to."
		s.showEscalation(w, r, c, http.StatusBadRequest, f, "")
		return
	}
	msg := strings.TrimSpace(strings.ReplaceAll(f.Get("message"), "\r\n", "\n"))
	switch {
	case msg == "":
		f.Errors["message"] = "Write your reply."
	case utf8.RuneCountInString(msg) > escReplyMax:
		f.Errors["message"] = fmt.Sprintf("Keep the reply under %d characters (it has %d).", escReplyMax, utf8.RuneCountInString(msg))
	case frontdesk.HasControlChars(msg) || !utf8.ValidString(msg):
		f.Errors["message"] = "Remove the special characters the reply contains."
	}
	if len(f.Errors) > 0 {
		f.Alert = "Please correct the reply below."
		s.showEscalation(w, r, c, http.StatusBadRequest, f, "")
		return
	}
	email, err := mail.EscalationReply(s.MailFrom, c.Tenant, e, msg)
	if err != nil {
		s.fail(w, r, c, err)
		return
	}
	// The same form sent twice (a double click, a reload) is one email;
	// another text from the same page is another.
	key := frontdesk.NewID()
	if rid := f.Get("reply_id"); frontdesk.ValidID(rid) {
		key = hash(rid + "\n" + msg)[:32]
	}
	now := s.now()
	if err := s.Store.EnqueueEmail(r.Context(), &frontdesk.OutboxEmail{ID: frontdesk.NewID(), TenantID: c.Tenant.ID,
		IdempotencyKey: escReplyKey(e.ID) + key, Kind: mail.EmailEscalationReply, Email: email,
		NextAttemptAt: now, CreatedAt: now}); err != nil {
		s.fail(w, r, c, err)
		return
	}
	flash := "Your reply to " + e.CustomerEmail + " is on its way."
	next := ""
	switch {
	case f.Get("resolve") != "" && e.Status != frontdesk.EscalationResolved:
		next, flash = frontdesk.EscalationResolved, flash+" The escalation is resolved."
	case e.Status == frontdesk.EscalationPending:
		next, flash = frontdesk.EscalationAcknowledged, flash+" The escalation is marked acknowledged."
	}
	if next != "" {
		if _, err := s.Business.SetEscalationStatus(r.Context(), c.Tenant, e.ID, next); err != nil {
			s.log().Error("dashboard: escalation status after reply", "escalation_id", e.ID, "err", err)
			s.setFlash(w, "Your reply is on its way, but the escalation's status could not be changed. Try the buttons below.", true)
			http.Redirect(w, r, Prefix+"/escalations/"+e.ID, http.StatusSeeOther)
			return
		}
	}
	s.done(w, r, Prefix+"/escalations/"+e.ID, flash)
}

// escCanReply reports whether a reply can go to s.
func escCanReply(s string) bool { return booking.ValidEmail(s) }

// escTranscript splits an escalation's summary ("Customer: ..." and
// "Assistant: ..." lines) into messages; a line without a speaker belongs
// to the message before it.
func escTranscript(summary string) []escMessage {
	var out []escMessage
	for _, line := range strings.Split(strings.TrimSpace(summary), "\n") {
		if strings.TrimSpace(line) == "" {
			continue
		}
		matched := false
		for _, who := range []string{"Customer", "Assistant"} {
			if text, ok := strings.CutPrefix(line, who+": "); ok {
				out = append(out, escMessage{Who: who, Text: text})
				matched = true
				break
			}
		}
		if !matched {
			if len(out) == 0 {
				out = append(out, escMessage{Text: line})
			} else {
				out[len(out)-1].Text += "\n" + line
			}
		}
	}
	return out
}

// telLink keeps the + and the digits of a phone number, for a tel: link.
func telLink(phone string) string {
	return strings.Map(func(r rune) rune {
		if r == '+' || r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, phone)
}
