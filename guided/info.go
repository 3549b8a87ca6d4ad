package guided

// Questions about the business answered from get_business_info and get_services.

import (
	"fmt"
	"regexp"
	"sort"
	"strings"
	"time"
	"unicode"

	"github.com/frontdeskhq/frontdesk"
)

// ---------------------------------------------------------------- business info

// answerInfo answers a question about hours, policies or contact details.
func (c *conv) answerInfo(intent Intent, msg string) {
	out, errMsg := c.businessInfo()
	if errMsg != "" {
		c.say("Sorry, I couldn't look that up just now. Please try again in a moment.")
		return
	}
	name := out.Name
	if name == "" && c.in.Tenant != nil {
		name = c.in.Tenant.Name
	}
	if name == "" {
		name = "the business"
	}
	info := out.Info
	contact := ""
	if out.Email != "" {
		contact = " You can reach " + name + " at " + out.Email + "."
	}
	switch intent {
	case IntentHours:
		if h := strings.TrimSpace(out.Hours); h != "" {
			c.para("Our opening hours: %s%s", sentence(h), daysOffText(out.DaysOff))
		} else {
			c.para("I don't have opening hours on file.%s", contact)
		}
	case IntentPolicy:
		c.answerPolicy(PolicyTopic(msg), info.Policies, contact)
	case IntentContact:
		lines := []string{"You can reach " + name + ":"}
		for _, kv := range [][2]string{{"Email", out.Email}, {"Phone", info.Phone}, {"Address", info.Address}, {"Website", info.Website}} {
			if v := strings.TrimSpace(kv[1]); v != "" {
				lines = append(lines, kv[0]+": "+v)
			}
		}
		if len(lines) == 1 {
			lines = []string{"I don't have contact details on file, but I can take your booking right here."}
		}
		c.para("%s", strings.Join(lines, "\n"))
	}
}

// phoneRequired reports whether the business needs a phone to book.
func (c *conv) phoneRequired() bool { return c.in.Tenant != nil && c.in.Tenant.Settings.RequirePhone }

// businessName is the business's name for a sentence.
func (c *conv) businessName() string {
	if c.in.Tenant != nil && strings.TrimSpace(c.in.Tenant.Name) != "" {
		return strings.TrimSpace(c.in.Tenant.Name)
	}
	return "the business"
}

// daysOffText lists the coming closed days after the hours: " We are
// closed on Friday 25 December (Christmas Day)."
func daysOffText(days []frontdesk.DayOffOut) string {
	var parts []string
	for _, d := range days {
		day, err := frontdesk.ParseDate(d.Date)
		if err != nil {
			continue
		}
		p := day.In(time.UTC).Format("Monday 2 January")
		if r := strings.TrimSpace(d.Reason); r != "" {
			p += " (" + r + ")"
		}
		parts = append(parts, p)
	}
	if len(parts) == 0 {
		return ""
	}
	return "\nWe are closed on " + strings.Join(parts, ", ") + "."
}

// contactLine offers the business's contact details, for when the
// assistant cannot help: " You can reach Lumen at owner@… or +1 555…".
func (c *conv) contactLine() string {
	out, errMsg := c.businessInfo()
	if errMsg != "" {
		return ""
	}
	var ways []string
	for _, v := range []string{out.Email, out.Info.Phone} {
		if v = strings.TrimSpace(v); v != "" {
			ways = append(ways, v)
		}
	}
	if len(ways) == 0 {
		return " You can ask for a person and the business will get back to you."
	}
	name := out.Name
	if name == "" {
		name = "the business"
	}
	return " You can reach " + name + " at " + strings.Join(ways, " or ") + ", or ask for a person here."
}

// answerPolicy answers with the policy on topic, or all policies when the
// topic is empty or not on file.
func (c *conv) answerPolicy(topic string, policies map[string]string, contact string) {
	keys := make([]string, 0, len(policies))
	for k, v := range policies {
		if strings.TrimSpace(v) != "" {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	if topic != "" {
		stemOf := map[string]string{TopicCancellation: "cancel", TopicRefund: "refund", TopicReschedule: "reschedul", TopicPayment: "pay"}
		for _, k := range keys {
			if strings.Contains(strings.ToLower(k), stemOf[topic]) {
				c.para("%s policy: %s", policyTitle(k), sentence(policies[k]))
				return
			}
		}
	}
	if len(keys) == 0 {
		c.para("I don't have a policy on file for that.%s", contact)
		return
	}
	lines := []string{"Our policies:"}
	if topic != "" {
		lines = []string{fmt.Sprintf("I don't have a specific %s policy on file. Here are our policies:", topic)}
	}
	for _, k := range keys {
		lines = append(lines, policyTitle(k)+": "+sentence(policies[k]))
	}
	c.para("%s", strings.Join(lines, "\n"))
}

// policyTitle turns a policy key ("cancellation", "no_show") into a title.
func policyTitle(k string) string {
	k = strings.TrimSpace(strings.NewReplacer("_", " ", "-", " ").Replace(k))
	r := []rune(k)
	if len(r) == 0 {
		return "Policy"
	}
	return string(unicode.ToUpper(r[0])) + string(r[1:])
}

var reQuestion = regexp.MustCompile(`(?i)\?|^\W*(what|how|do|does|can|could|is|are|will|where|when|why|who|which|should|may)\b`)

// faqWords are too common to tell FAQ entries apart.
var faqWords = wordSet(`what how do does can could is are will where when why who which should may
	you your yours we our us i me my a an the of to in on at for and or with it its this that
	there have has get any some about from be been`)

// answerFAQ answers a question from the tenant's FAQ when one entry shares
// its significant words.
func (c *conv) answerFAQ(msg string) bool {
	if !reQuestion.MatchString(msg) {
		return false
	}
	asked := significant(msg)
	if len(asked) == 0 {
		return false
	}
	out, errMsg := c.businessInfo()
	if errMsg != "" {
		return false
	}
	best, bestScore := -1, 0
	for i, f := range out.Info.FAQ {
		q := significant(f.Question)
		score := 0
		for _, a := range asked {
			if matchesAny(a, q) {
				score++
			}
		}
		if score > bestScore {
			best, bestScore = i, score
		}
	}
	if best < 0 || bestScore < 2 && bestScore < len(asked) || strings.TrimSpace(out.Info.FAQ[best].Answer) == "" {
		return false
	}
	c.para("%s", strings.TrimSpace(out.Info.FAQ[best].Answer))
	return true
}

func significant(s string) []string {
	var out []string
	for _, w := range tokens(s) {
		if len(w) >= 3 && !faqWords[w] {
			out = append(out, w)
		}
	}
	return out
}

// reCost asks what something costs; rePayment how to pay.
var (
	// reServicesAsked asks for the list of services or its prices, not the
	// price of the one chosen.
	reServicesAsked = regexp.MustCompile(`(?i)\b(services|service list|menu|offer|offerings|packages|prices|pricing|price list|what can i book)\b`)
	reCost          = regexp.MustCompile(`(?i)\b(cost|costs|price|prices|pricing|how much|fee|fees|rate|rates|expensive|cheap)\b`)
	rePayment       = regexp.MustCompile(`(?i)\b(cash|card|cards|credit|debit|paypal|apple pay|pay|payment|payments|deposit|invoice)\b`)
)

// answerQuestion answers a question the FAQ does not: a price from the
// services, how to pay from the payment policy; anything else is said to
// be unknown, with the offer of a person.
func (c *conv) answerQuestion(msg string) {
	if reCost.MatchString(msg) {
		if services, _ := c.loadServices(); len(services) > 0 {
			for _, s := range services {
				if s.ID == c.st.ServiceID && s.Price != "" {
					c.para("%s is %s.", s.Name, serviceTerms(s)) // terms that start with the price
					return
				}
			}
			var lines []string
			for _, s := range services {
				lines = append(lines, fmt.Sprintf("%s: %s", s.Name, serviceTerms(s)))
			}
			c.para("Our prices:\n%s", strings.Join(lines, "\n"))
			return
		}
	}
	if out, errMsg := c.businessInfo(); errMsg == "" && rePayment.MatchString(msg) {
		for k, v := range out.Info.Policies {
			if strings.Contains(strings.ToLower(k), "pay") && strings.TrimSpace(v) != "" {
				c.para("%s policy: %s", policyTitle(k), sentence(v))
				return
			}
		}
	}
	c.para("Sorry, I don't have an answer to that on file.%s", c.contactLine())
	c.sugg = append(c.sugg, "Talk to a person")
}
