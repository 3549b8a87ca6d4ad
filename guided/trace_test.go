package guided

import (
	"encoding/json"
	"testing"

	"github.com/frontdeskhq/frontdesk"
)

// Before a proposal every field must be traced to what the visitor wrote
// (or to the only service, or the returning customer): a field that
// cannot be is asked for again, and nothing is proposed.
func TestProposalNeedsTracedFields(t *testing.T) {
	const base = `"v":3,"asked":"email","serviceId":"pkg_wedding","serviceName":"Wedding Photography","bookingType":"DATE","date":"2026-12-15","dateOpen":true,"name":"Ann Lee"`
	for _, tc := range []struct {
		name, said, want string
		book             bool
	}{
		{"all traced", `{"service":"wedding","date":"dec 15","name":"Ann Lee"}`, "Here's what I have", true},
		{"name typed in other words", `{"service":"wedding","date":"dec 15","name":"Ann"}`, "What name", false},
		{"name from nowhere", `{"service":"wedding","date":"dec 15"}`, "What name", false},
		{"date from nowhere", `{"service":"wedding","name":"Ann Lee"}`, "What date", false},
		{"service from nowhere", `{"date":"dec 15","name":"Ann Lee"}`, "Here's what you can book", false},
		{"the customer's email is no service", `{"service":"` + srcCustomer + `","date":"dec 15","name":"Ann Lee"}`, "Here's what you can book", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := newSession(t)
			s.state = json.RawMessage(`{` + base + `,"said":` + tc.said + `}`)
			turn := s.say("ann@example.com")
			wantReply(t, turn, tc.want)
			if got := len(s.tools.callsOf(frontdesk.ToolBookService)) > 0; got != tc.book {
				t.Fatalf("book_service called: %v, want %v", got, tc.book)
			}
		})
	}
}

func TestTraces(t *testing.T) {
	for _, tc := range []struct {
		kind       FieldKind
		value, src string
		want       bool
	}{
		{FieldName, "Jan van Dijk", "jan van dijk", true},
		{FieldName, "Rock Plaza", "Sam Hill", false},
		{FieldName, "Ann", srcCustomer, true},
		{FieldEmail, "ann@example.com", "Ann@Example.com", true},
		{FieldEmail, "ann@example.com", "ann@example.co", false},
		{FieldPhone, "212 555 0142", "(212) 555-0142", true},
		{FieldPhone, "212 555 0142", "555-0142", false},
		{FieldService, "pkg_mini", srcOnlyService, true},
		{FieldDate, "2026-12-15", srcOnlyService, false},
		{FieldDate, "2026-12-15", "", false},
	} {
		if got := traces(tc.kind, tc.value, tc.src); got != tc.want {
			t.Errorf("traces(%s, %q, %q) = %v, want %v", tc.kind, tc.value, tc.src, got, tc.want)
		}
	}
}
