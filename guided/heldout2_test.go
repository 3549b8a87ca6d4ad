package guided

import (
	"time"

	"github.com/frontdeskhq/frontdesk"
)

// The third evaluation set (testdata/heldout2.jsonl) was written by hand by
// a third engineer, without reading the other two sets or the parser first,
// as visitors of small service businesses type: texting style, British
// phrasings ("half 3", "Saturday week", day-first dates), vague times that
// must be asked about rather than guessed, repeated corrections, questions
// in the middle, starting over, and bad input. Part of it runs against a
// second business: a London hair salon that requires a phone.

const heldout2File = "testdata/heldout2.jsonl"

// heldout2Case is a held-out case that may run at the London salon.
type heldout2Case struct {
	heldoutCase
	// Tenant is "london" for the salon; empty for the New York studio.
	Tenant string `json:"tenant,omitempty"`
}

func londonTenant() *frontdesk.Tenant {
	t := &frontdesk.Tenant{ID: "t2", Name: "Willow Hair", Slug: "willow", TimeZone: "Europe/London", Currency: "gbp"}
	t.Settings.RequirePhone = true
	return t
}

// londonTools answers for the salon as fakeTools does for the studio (slot
// services on weekdays 9:00 to 17:00, the whole-day service every day but
// Sunday, Christmas Eve booked), with the salon's services and information.
func londonTools() *fakeTools {
	f := newFakeTools()
	loc, err := time.LoadLocation("Europe/London")
	if err != nil {
		panic(err)
	}
	f.loc = loc
	f.booked = map[string]bool{"2026-12-24": true}
	f.services = []frontdesk.ServiceOut{
		{ID: "pkg_cut", Slug: "cut-and-blow-dry", Name: "Cut & Blow Dry", Description: "A wash, cut and blow dry with one of our stylists.", PriceCents: 4500, Price: "£45.00", Currency: "gbp", BookingType: frontdesk.BookingTimeslot, DurationMinutes: 30},
		{ID: "pkg_colour", Slug: "full-colour", Name: "Full Colour", Description: "All-over colour, toner and a blow dry. Two hours.", PriceCents: 9500, Price: "£95.00", Currency: "gbp", BookingType: frontdesk.BookingTimeslot, DurationMinutes: 120},
		{ID: "pkg_bridal", Slug: "bridal-hair", Name: "Bridal Hair", Description: "Hair for the bride on the wedding morning, at your venue.", PriceCents: 30000, Price: "£300.00", Currency: "gbp", BookingType: frontdesk.BookingDate},
	}
	f.info.Name = "Willow Hair"
	f.info.Email = "hello@willow.example"
	f.info.Info.Phone = "+44 20 7946 0000"
	f.info.Info.Address = "3 Church Lane, London"
	f.info.Info.Policies = map[string]string{"cancellation": "Please give us 24 hours' notice to cancel or move an appointment"}
	f.info.Info.FAQ = []frontdesk.FAQ{{Question: "Is there parking?", Answer: "There's a pay and display car park behind the salon."}}
	return f
}
