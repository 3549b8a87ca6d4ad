package dashboard

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/frontdeskhq/frontdesk"
	"github.com/frontdeskhq/frontdesk/business"
)

// catPair is one policy (name, text) or question (question, answer) of
// the info form; its inputs are named policy-N-name / policy-N-text, or
// faq-N-question / faq-N-answer, and policy-N-remove / faq-N-remove.
type catPair struct {
	Index      int
	A, B       string
	AErr, BErr string
	Remove     bool
	New        bool // the empty row to add one
}

type catInfoView struct {
	Form       *form
	Policies   []catPair
	FAQ        []catPair
	Zones      []string
	Currencies []string
	Base       string
}

// catInfoItems is what the info form shows, to tell a later save what
// changed meanwhile.
func catInfoItems(t *frontdesk.Tenant) []catItem {
	var pol []string
	for _, k := range catPolicyNames(t.Info.Policies) {
		pol = append(pol, k+": "+t.Info.Policies[k])
	}
	var faq []string
	for _, q := range t.Info.FAQ {
		faq = append(faq, q.Question+"\n"+q.Answer)
	}
	return []catItem{{"The business name", t.Name}, {"The contact email", t.ContactEmail}, {"The phone number", t.Info.Phone},
		{"The address", t.Info.Address}, {"The website", t.Info.Website}, {"The description", t.Info.Description},
		{"The policies", strings.Join(pol, "\n\n")}, {"The questions and answers", strings.Join(faq, "\n\n")},
		{"The time zone", t.TimeZone}, {"The currency", strings.ToUpper(t.Currency)}}
}

func catPolicyNames(m map[string]string) []string {
	names := make([]string, 0, len(m))
	for k := range m {
		names = append(names, k)
	}
	slices.Sort(names)
	return names
}

// catInfoValues fills the form with the stored profile.
func catInfoValues(t *frontdesk.Tenant) url.Values {
	v := url.Values{}
	v.Set("name", t.Name)
	v.Set("contactEmail", t.ContactEmail)
	v.Set("phone", t.Info.Phone)
	v.Set("address", t.Info.Address)
	v.Set("website", t.Info.Website)
	v.Set("description", t.Info.Description)
	v.Set("timeZone", t.TimeZone)
	v.Set("currency", strings.ToUpper(t.Currency))
	return v
}

func (s *Server) catInfoRender(w http.ResponseWriter, r *http.Request, c *reqCtx, status int, v catInfoView) {
	v.Zones, v.Currencies = catZones, catCurrencies
	v.Base = catBase(catInfoItems(c.Tenant))
	s.render(w, r, c, status, "info", "Business info", "info", v)
}

// catInfo shows the business's profile as a form.
func (s *Server) catInfo(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	t := c.Tenant
	v := catInfoView{Form: newForm(catInfoValues(t))}
	for _, k := range catPolicyNames(t.Info.Policies) {
		v.Policies = append(v.Policies, catPair{Index: len(v.Policies), A: k, B: t.Info.Policies[k]})
	}
	v.Policies = append(v.Policies, catPair{Index: len(v.Policies), New: true})
	for _, q := range t.Info.FAQ {
		v.FAQ = append(v.FAQ, catPair{Index: len(v.FAQ), A: q.Question, B: q.Answer})
	}
	v.FAQ = append(v.FAQ, catPair{Index: len(v.FAQ), New: true})
	s.catInfoRender(w, r, c, http.StatusOK, v)
}

// catPairs reads the rows prefix-N-a / prefix-N-b of a form, in order, as
// typed; rows left empty are kept for drawing the form again, marked New.
func catPairs(f *form, prefix, a, b string, limit int) []catPair {
	var out []catPair
	for i := range limit {
		ka, kb := fmt.Sprintf("%s-%d-%s", prefix, i, a), fmt.Sprintf("%s-%d-%s", prefix, i, b)
		_, hasA := f.Values[ka]
		_, hasB := f.Values[kb]
		if !hasA && !hasB {
			continue
		}
		p := catPair{Index: len(out), A: strings.TrimSpace(f.Get(ka)), B: catText(f.Get(kb)),
			Remove: f.Get(fmt.Sprintf("%s-%d-remove", prefix, i)) != ""}
		p.New = p.A == "" && p.B == ""
		out = append(out, p)
	}
	if len(out) == 0 || !out[len(out)-1].New {
		out = append(out, catPair{Index: len(out), New: true})
	}
	return out
}

var catFAQFieldRE = regexp.MustCompile(`^info\.faq\[(\d+)\]\.(question|answer)$`)

// catInfoSave saves the profile with one patch, unless it changed since
// the form was drawn.
func (s *Server) catInfoSave(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	t := c.Tenant
	f := newForm(r.PostForm)
	// A form with many rows is cut at what the domain accepts, plus one.
	v := catInfoView{Form: f, Policies: catPairs(f, "policy", "name", "text", 31), FAQ: catPairs(f, "faq", "question", "answer", 51)}
	again := func(status int) {
		for i := range v.Policies {
			p := &v.Policies[i]
			p.AErr, p.BErr = f.Errors[fmt.Sprintf("policy-%d-name", p.Index)], f.Errors[fmt.Sprintf("policy-%d-text", p.Index)]
		}
		for i := range v.FAQ {
			p := &v.FAQ[i]
			p.AErr, p.BErr = f.Errors[fmt.Sprintf("faq-%d-question", p.Index)], f.Errors[fmt.Sprintf("faq-%d-answer", p.Index)]
		}
		s.catInfoRender(w, r, c, status, v)
	}
	if changes := catChanges(f.Get("base"), catInfoItems(t)); len(changes) > 0 {
		f.Alert = catStaleAlert("the business info", changes)
		again(http.StatusConflict)
		return
	}
	policies := map[string]string{}
	policyRow := map[string]int{}
	for _, p := range v.Policies {
		if p.Remove || p.New {
			continue
		}
		// A policy without a name or a text goes to the domain, which
		// refuses it next to the other errors; two under one name can't.
		if _, dup := policies[p.A]; dup {
			msg := "Another policy already has this name; give each policy its own."
			if p.A == "" {
				msg = "Give this policy a name, like cancellation, or tick Remove."
			}
			f.Errors[fmt.Sprintf("policy-%d-name", p.Index)] = msg
			continue
		}
		policies[p.A], policyRow[p.A] = p.B, p.Index
	}
	faq := []frontdesk.FAQ{}
	var faqRow []int
	for _, p := range v.FAQ {
		if p.Remove || p.New {
			continue
		}
		faq = append(faq, frontdesk.FAQ{Question: p.A, Answer: p.B})
		faqRow = append(faqRow, p.Index)
	}
	if len(f.Errors) > 0 {
		catAlert(f)
		again(http.StatusBadRequest)
		return
	}
	str := func(name string) *string { s := strings.TrimSpace(f.Get(name)); return &s }
	desc := catText(f.Get("description"))
	patch := business.ProfilePatch{Name: str("name"), ContactEmail: str("contactEmail"), TimeZone: str("timeZone"), Currency: str("currency"),
		Info: &business.InfoPatch{Description: &desc, Policies: &policies, FAQ: &faq, Phone: str("phone"), Address: str("address"), Website: str("website")}}
	if _, err := s.Business.UpdateProfile(r.Context(), t, patch); err != nil {
		if !catOnForm(err) {
			s.fail(w, r, c, err)
			return
		}
		catFail(f, err, func(api, msg string) (string, string) {
			switch api {
			case "name":
				return "name", "the business name"
			case "contactEmail":
				return "contactEmail", "the contact email"
			case "timeZone":
				return "timeZone", "the time zone"
			case "currency":
				return "currency", "the currency"
			case "info.description":
				return "description", "the description"
			case "info.phone":
				return "phone", "the phone"
			case "info.address":
				return "address", "the address"
			case "info.website":
				return "website", "the website"
			case "info.policies":
				if row, ok := policyRow[""]; ok && strings.Contains(msg, "policy name") {
					return fmt.Sprintf("policy-%d-name", row), "this policy"
				}
				return "", "the policies"
			case "info.faq":
				return "", "the questions and answers"
			}
			if name, ok := strings.CutPrefix(api, "info.policies."); ok {
				if row, ok := policyRow[name]; ok {
					// The name's own error speaks of "a policy name".
					if strings.Contains(msg, "policy name") {
						return fmt.Sprintf("policy-%d-name", row), "this policy"
					}
					return fmt.Sprintf("policy-%d-text", row), "the policy"
				}
			}
			if m := catFAQFieldRE.FindStringSubmatch(api); m != nil {
				if i, _ := strconv.Atoi(m[1]); i < len(faqRow) {
					return fmt.Sprintf("faq-%d-%s", faqRow[i], m[2]), "the " + m[2]
				}
			}
			return "", api
		})
		again(http.StatusBadRequest)
		return
	}
	s.done(w, r, Prefix+"/info", "Saved your business info.")
}

// catCurrencies are offered as suggestions; any ISO 4217 code is accepted.
var catCurrencies = []string{"USD", "EUR", "GBP", "CAD", "AUD", "NZD", "CHF", "SEK", "NOK", "DKK", "PLN", "CZK", "HUF",
	"JPY", "CNY", "HKD", "SGD", "INR", "KRW", "MXN", "BRL", "ZAR", "ILS", "AED", "TRY"}

// catZones are suggested time zones; any IANA name is accepted.
var catZones = []string{
	"UTC",
	"America/New_York", "America/Chicago", "America/Denver", "America/Phoenix", "America/Los_Angeles", "America/Anchorage",
	"Pacific/Honolulu", "America/Toronto", "America/Vancouver", "America/Edmonton", "America/Winnipeg", "America/Halifax",
	"America/St_Johns", "America/Mexico_City", "America/Bogota", "America/Lima", "America/Santiago", "America/Buenos_Aires",
	"America/Sao_Paulo", "America/Caracas", "America/Puerto_Rico",
	"Europe/London", "Europe/Dublin", "Europe/Lisbon", "Europe/Madrid", "Europe/Paris", "Europe/Brussels", "Europe/Amsterdam",
	"Europe/Berlin", "Europe/Zurich", "Europe/Vienna", "Europe/Rome", "Europe/Copenhagen", "Europe/Oslo", "Europe/Stockholm",
	"Europe/Helsinki", "Europe/Warsaw", "Europe/Prague", "Europe/Budapest", "Europe/Athens", "Europe/Bucharest",
	"Europe/Istanbul", "Europe/Kyiv", "Europe/Moscow",
	"Africa/Casablanca", "Africa/Lagos", "Africa/Cairo", "Africa/Nairobi", "Africa/Johannesburg",
	"Asia/Dubai", "Asia/Jerusalem", "Asia/Riyadh", "Asia/Tehran", "Asia/Karachi", "Asia/Kolkata", "Asia/Dhaka",
	"Asia/Bangkok", "Asia/Jakarta", "Asia/Ho_Chi_Minh", "Asia/Singapore", "Asia/Kuala_Lumpur", "Asia/Manila",
	"Asia/Hong_Kong", "Asia/Shanghai", "Asia/Taipei", "Asia/Seoul", "Asia/Tokyo",
	"Australia/Perth", "Australia/Adelaide", "Australia/Brisbane", "Australia/Sydney", "Australia/Melbourne",
	"Pacific/Auckland",
}
