package dashboard

// The catalog pages: services, weekly hours and days off, business info
// and the website widget. Each form calls the business package as the
// tenant API does (httpapi/tenant_catalog.go, tenant_profile.go); this file
// holds the routes and what the forms share: domain errors written next to
// their fields, and the check that tells an owner what changed elsewhere
// while a form was open instead of overwriting it.

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/frontdeskhq/frontdesk"
)

// catalogRoutes lists the services, hours, business info and widget pages.
func (s *Server) catalogRoutes() []route {
	return []route{
		{"GET " + Prefix + "/services", s.catServices},
		{"GET " + Prefix + "/services/new", s.catServiceNew},
		{"POST " + Prefix + "/services/new", s.catServiceCreate},
		{"GET " + Prefix + "/services/{id}", s.catServiceShow},
		{"GET " + Prefix + "/services/{id}/edit", s.catServiceEdit},
		{"POST " + Prefix + "/services/{id}/edit", s.catServiceUpdate},
		{"GET " + Prefix + "/services/{id}/delete", s.catServiceDeleteAsk},
		{"POST " + Prefix + "/services/{id}/delete", s.catServiceDelete},
		{"POST " + Prefix + "/services/{id}/move", s.catServiceMove},

		{"GET " + Prefix + "/hours", s.catHours},
		{"POST " + Prefix + "/hours", s.catHoursSave},
		{"GET " + Prefix + "/hours/daysoff", s.catDaysOff},
		{"POST " + Prefix + "/hours/daysoff", s.catDaysOffAdd},
		{"POST " + Prefix + "/hours/daysoff/{id}/delete", s.catDayOffDelete},

		{"GET " + Prefix + "/info", s.catInfo},
		{"POST " + Prefix + "/info", s.catInfoSave},

		{"GET " + Prefix + "/widget", s.catWidget},
		{"POST " + Prefix + "/widget/origins", s.catWidgetOrigins},
		{"GET " + Prefix + "/widget/preview", s.catWidgetPreview},
	}
}

// catOnForm reports whether err belongs on the form that caused it (bad
// input, a conflict); a missing row or an internal error gets its own page.
func catOnForm(err error) bool {
	switch frontdesk.ErrorCode(err) {
	case frontdesk.ENotFound, frontdesk.EInternal:
		return false
	}
	return true
}

// catFail records a domain error on a form. Each field detail goes next to
// the input field names (empty: the alert), written as a sentence after the
// input's label ("the price" + "must be ..." → "The price must be ...");
// details of one input are joined. Errors the form found itself (a price
// that is no amount) were put on the form before and win over the
// domain's about the same input. The alert asks to correct the fields, and
// carries the details no input shows.
func catFail(f *form, err error, field func(api, msg string) (name, label string)) {
	var fe *frontdesk.Error
	if !errors.As(err, &fe) || len(fe.Details) == 0 {
		catAlert(f, frontdesk.ErrorMessage(err))
		return
	}
	local := map[string]bool{}
	for name := range f.Errors {
		local[name] = true
	}
	var loose []string
	for _, d := range fe.Details {
		name, label := field(d.Field, d.Message)
		msg := catSentence(label, d.Message)
		switch prev, seen := f.Errors[name]; {
		case name == "":
			loose = append(loose, msg)
		case local[name]:
		case !seen:
			f.Errors[name] = msg
		case !strings.Contains(prev, msg):
			f.Errors[name] = prev + " " + msg
		}
	}
	catAlert(f, loose...)
}

// catUnread is the error of a form with fields it could not read, should
// the domain have taken what was sent in their place.
func catUnread(f *form) error {
	return frontdesk.Invalid(frontdesk.FieldError{Field: "form", Message: "has fields that could not be read"})
}

// catAlert sets the form's alert: fix the marked fields, then any message
// that belongs to no field.
func catAlert(f *form, extra ...string) {
	var parts []string
	if len(f.Errors) > 0 {
		parts = append(parts, "Please correct the fields marked below.")
	}
	parts = append(parts, extra...)
	if len(parts) == 0 {
		parts = append(parts, "Please check the form and try again.")
	}
	f.Alert = strings.Join(parts, " ")
}

// catSentence writes a field message of the domain (which follows the
// field's name: "must not be empty") after a label, as a sentence.
func catSentence(label, msg string) string {
	msg = strings.TrimSpace(msg)
	if label != "" {
		msg = label + " " + msg
	}
	if r, n := utf8.DecodeRuneInString(msg); n > 0 {
		msg = string(unicode.ToUpper(r)) + msg[n:]
	}
	if !strings.HasSuffix(msg, ".") && !strings.HasSuffix(msg, "?") && !strings.HasSuffix(msg, "!") {
		msg += "."
	}
	return msg
}

// catItem is one thing a form shows, by its label, with the value written
// as the owner reads it.
type catItem struct{ Label, Value string }

// catBase encodes what a form showed when it was drawn (a short hash per
// item) into the hidden "base" field.
func catBase(items []catItem) string {
	m := make(map[string]string, len(items))
	for _, it := range items {
		m[it.Label] = catDigest(it.Value)
	}
	b, _ := json.Marshal(m)
	return base64.RawURLEncoding.EncodeToString(b)
}

func catDigest(v string) string {
	sum := sha256.Sum256([]byte(v))
	return hex.EncodeToString(sum[:6])
}

// catChanges compares the base a form was drawn from with the items as
// they are now, and says what changed meanwhile (another tab, the API, a
// business file). A form without a readable base is not checked.
func catChanges(base string, now []catItem) []string {
	if base == "" {
		return nil
	}
	raw, err := base64.RawURLEncoding.DecodeString(base)
	if err != nil {
		return nil
	}
	var was map[string]string
	if json.Unmarshal(raw, &was) != nil {
		return nil
	}
	var out []string
	for _, it := range now {
		old, ok := was[it.Label]
		if !ok || old == catDigest(it.Value) {
			continue
		}
		switch v := it.Value; {
		case v == "":
			out = append(out, it.Label+" is now empty")
		case utf8.RuneCountInString(v) <= 80 && !strings.ContainsAny(v, "\r\n"):
			out = append(out, it.Label+" is now “"+v+"”")
		default:
			out = append(out, it.Label+" was changed")
		}
	}
	return out
}

// catStaleAlert is the alert of a form that was changed elsewhere while it
// was open: nothing is saved, what the owner typed stays in the form, and
// saving again replaces the other change.
func catStaleAlert(what string, changes []string) string {
	return "Nothing was saved: " + what + " changed elsewhere while you were editing (in another tab, or through the API). " +
		strings.Join(changes, "; ") + ". Your version is still in the form below: check it, then save again to replace those changes."
}

// catText normalises the text of a textarea: browsers send CRLF line ends.
func catText(v string) string {
	return strings.TrimSpace(strings.ReplaceAll(v, "\r\n", "\n"))
}
