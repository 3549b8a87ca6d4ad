package guided

// The safety guard before a proposal: every field proposed is traced to
// what the visitor wrote, or to a source of the assistant's that needs no
// words; a field that cannot be traced is asked for, never proposed.

import "strings"

// Sources of a field the visitor did not type (state.Said).
const (
	// srcOnlyService: the business offers one service, so there was none
	// to choose.
	srcOnlyService = "\x00only service"
	// srcCustomer: the returning customer the session recognised.
	srcCustomer = "\x00returning customer"
)

// said records that field kind's value came from src: the words of the
// visitor's message it was read from, or srcOnlyService or srcCustomer.
func (c *conv) said(kind FieldKind, src string) {
	if p := c.st.Said.of(kind); p != nil {
		*p = src
	}
}

// typed returns the words of this turn's message the extractor read a
// field of kind from, "" if it read none: a quick reply the visitor tapped
// (a day, a time, a service offered) arrives as such words too.
func (c *conv) typed(kind FieldKind) string {
	f, ok := c.extraction.Get(kind)
	if !ok {
		return ""
	}
	return f.Text
}

// untraced returns the first field of the booking about to be proposed
// whose value cannot be traced to where it came from, "" when all can.
// The time is guarded apart, more strictly (state.WantTime: the slot's
// start must be the very time the visitor wrote).
func (c *conv) untraced() FieldKind {
	st := &c.st
	for _, f := range []struct {
		kind  FieldKind
		value string
	}{
		{FieldService, st.ServiceID}, {FieldDate, st.Date},
		{FieldName, st.Name}, {FieldEmail, st.Email}, {FieldPhone, st.Phone},
	} {
		if f.value == "" {
			continue
		}
		if src := *st.Said.of(f.kind); src == "" || !traces(f.kind, f.value, src) {
			return f.kind
		}
	}
	return ""
}

// traces reports whether src can be where value came from: the service
// alone may come from the business's only service, the contact details
// from the returning customer; a name must be made of the words typed, an
// email and a phone must be the ones typed. A service and a date are read
// from their words in context (a menu number, "the 15th" after "what
// date?"), so for them the words must merely be there.
func traces(kind FieldKind, value, src string) bool {
	switch src {
	case srcOnlyService:
		return kind == FieldService
	case srcCustomer:
		return kind == FieldName || kind == FieldEmail || kind == FieldPhone
	}
	switch kind {
	case FieldName:
		typed := map[string]bool{}
		for _, w := range strings.Fields(strings.ToLower(src)) {
			typed[strings.Trim(w, `,.;:!?"()`)] = true
		}
		for _, w := range strings.Fields(strings.ToLower(value)) {
			if !typed[w] && !typed[strings.TrimSuffix(w, ".")] {
				return false
			}
		}
		return true
	case FieldEmail:
		return strings.EqualFold(strings.TrimSpace(src), value)
	case FieldPhone:
		return digitsOnly(src) == digitsOnly(value) && digitsOnly(value) != ""
	}
	return strings.TrimSpace(src) != ""
}

// digitsOnly returns the digits of s.
func digitsOnly(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, s)
}

// forget clears a field that cannot be traced, so that advance asks for it.
func (c *conv) forget(kind FieldKind) {
	st := &c.st
	switch kind {
	case FieldService:
		st.clearService()
	case FieldDate:
		st.setDate("")
	case FieldName:
		st.Name = ""
	case FieldEmail:
		st.Email = ""
	case FieldPhone:
		st.Phone, st.PhoneSkipped = "", false
	}
	c.said(kind, "")
}

// nameSaid is where a name learnt this turn came from: the words typed,
// and, when they replace one word of the name ("spelt Jon, not John"),
// the words the rest of the name came from.
func (c *conv) nameSaid(f facts) string {
	src := c.typed(FieldName)
	if f.nameFor != "" {
		src = c.st.Said.Name + " " + src
	}
	return src
}
