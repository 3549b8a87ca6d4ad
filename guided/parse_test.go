package guided

import (
	"testing"

	"github.com/frontdeskhq/frontdesk"
)

// thursday is the "today" of the parser tests: Thursday 10 December 2026.
var thursday = frontdesk.Date{Year: 2026, Month: 12, Day: 10}

func date(t *testing.T, s string) frontdesk.Date {
	t.Helper()
	d, err := frontdesk.ParseDate(s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func TestParseDate(t *testing.T) {
	tests := []struct {
		name  string
		text  string
		today string // default: thursday
		want  string // "" means not ok
	}{
		{"iso", "2026-12-15", "", "2026-12-15"},
		{"iso in a sentence", "book me for 2026-12-15 please", "", "2026-12-15"},
		{"iso with slashes", "2026/12/15", "", "2026-12-15"},
		{"iso impossible", "2026-02-30", "", ""},
		{"iso in the past is kept", "2025-06-01", "", "2025-06-01"},
		{"today", "today", "", "2026-12-10"},
		{"tonight", "anything tonight?", "", "2026-12-10"},
		{"tomorrow", "Tomorrow please", "", "2026-12-11"},
		{"tmrw", "tmrw at 3", "", "2026-12-11"},
		{"day after tomorrow", "the day after tomorrow", "", "2026-12-12"},
		{"weekday", "Friday", "", "2026-12-11"},
		{"weekday lower case", "how about friday?", "", "2026-12-11"},
		{"this weekday", "this Friday", "", "2026-12-11"},
		{"weekday of today is next week", "on Thursday", "", "2026-12-17"},
		{"next weekday is in next week", "next Friday", "", "2026-12-18"},
		{"next monday", "next Monday", "", "2026-12-14"},
		{"saturday: friday is next week", "Friday", "2026-12-12", "2026-12-18"},
		{"saturday: next friday is the same", "next Friday", "2026-12-12", "2026-12-18"},
		{"sunday: next monday is tomorrow", "next monday", "2026-12-13", "2026-12-14"},
		{"sunday: sunday is in a week", "Sunday", "2026-12-13", "2026-12-20"},
		{"abbreviation", "fri", "", "2026-12-11"},
		{"abbreviation with dot", "Tue.", "", "2026-12-15"},
		{"guarded abbreviation alone", "sat", "", "2026-12-12"},
		{"guarded abbreviation after on", "on wed at 2", "", "2026-12-16"},
		{"wed is not a day in wed like", "wed like to book", "", ""},
		{"mon is not a day in c'mon", "c'mon", "", ""},
		{"month day", "Dec 15", "", "2026-12-15"},
		{"month day ordinal", "December 15th", "", "2026-12-15"},
		{"month with dot", "dec. 15", "", "2026-12-15"},
		{"day month", "15 December", "", "2026-12-15"},
		{"day month short", "15 Dec", "", "2026-12-15"},
		{"day of month", "the 15th of December", "", "2026-12-15"},
		{"month day with year", "Dec 15, 2027", "", "2027-12-15"},
		{"day month with year", "15 Dec 2027", "", "2027-12-15"},
		{"month day is today", "Dec 10", "", "2026-12-10"},
		{"passed month day is next year", "Dec 9", "", "2027-12-09"},
		{"january is next year", "January 5", "", "2027-01-05"},
		{"feb 30 is impossible", "Feb 30", "", ""},
		{"feb 29 is the next leap day", "Feb 29", "", "2028-02-29"},
		{"april 31 is impossible", "April 31st", "", ""},
		{"slash month day", "12/15", "", "2026-12-15"},
		{"slash passed is next year", "1/5", "", "2027-01-05"},
		{"slash with year", "12/15/2027", "", "2027-12-15"},
		{"slash with short year", "12/15/27", "", "2027-12-15"},
		{"slash day month", "15/12", "", "2026-12-15"},
		{"slash impossible", "2/30", "", ""},
		{"slash no month", "13/13", "", ""},
		{"calendar date beats weekday", "Fri Dec 18", "", "2026-12-18"},
		{"calendar date beats earlier tomorrow", "tomorrow, no wait, Dec 20", "", "2026-12-20"},
		{"earliest of the same kind", "tomorrow or Friday", "", "2026-12-11"},
		{"on the nth", "on the 15th", "", "2026-12-15"},
		{"the nth passed is next month", "the 5th", "", "2027-01-05"},
		{"the nth is today", "on the 10th", "", "2026-12-10"},
		{"the 31st skips short months", "on the 31st", "2026-11-10", "2026-12-31"},
		{"the 2nd one is a list item", "the 2nd one", "", ""},
		{"weekday with day of month", "Friday the 18th", "", "2026-12-18"},
		{"time only", "at 3pm", "", ""},
		{"phone", "555-123-4567", "", ""},
		{"email", "ann.dec15@example.com", "", ""},
		{"may is a verb", "May I book the mini session?", "", ""},
		{"may the month", "May 5", "", "2027-05-05"},
		{"no date", "I'd like to book", "", ""},
		{"empty", "", "", ""},
		{"one message booking", "I'd like the mini session on Friday at 3pm, I'm Ann, ann@example.com", "", "2026-12-11"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			today := thursday
			if tt.today != "" {
				today = date(t, tt.today)
			}
			got, ok := ParseDate(tt.text, today)
			if tt.want == "" {
				if ok {
					t.Fatalf("ParseDate(%q) = %s, want no date", tt.text, got)
				}
				return
			}
			if !ok || got.String() != tt.want {
				t.Fatalf("ParseDate(%q) = %s, %v; want %s", tt.text, got, ok, tt.want)
			}
		})
	}
}

func TestParseTime(t *testing.T) {
	tests := []struct {
		name string
		text string
		want int // -1: no time
	}{
		{"pm", "3pm", 15 * 60},
		{"pm with space", "3 pm", 15 * 60},
		{"pm upper case", "3 PM", 15 * 60},
		{"half past pm", "3:30pm", 15*60 + 30},
		{"p.m.", "3:30 p.m.", 15*60 + 30},
		{"dot minutes", "3.30pm", 15*60 + 30},
		{"am", "9am", 9 * 60},
		{"am with at", "at 7 am", 7 * 60},
		{"12am is midnight", "12am", 0},
		{"12pm is noon", "12pm", 12 * 60},
		{"24 hour", "15:00", 15 * 60},
		{"24 hour in a sentence", "can we do 15:30 on Friday", 15*60 + 30},
		{"bare colon afternoon", "3:30", 15*60 + 30},
		{"bare colon morning", "9:30", 9*60 + 30},
		{"leading zero is morning", "03:30", 3*60 + 30},
		{"at 9 is morning", "at 9", 9 * 60},
		{"at 3 is afternoon", "at 3", 15 * 60},
		{"at 12 is noon", "around 12", 12 * 60},
		{"at with minutes", "at 9:30", 9*60 + 30},
		{"at 15", "at 15", 15 * 60},
		{"o'clock", "4 o'clock", 16 * 60},
		{"noon", "noon works", 12 * 60},
		{"midday", "midday", 12 * 60},
		{"midnight", "midnight", 0},
		{"after a date", "Dec 15 at 3pm", 15 * 60},
		{"after an iso date", "2026-12-15 10am", 10 * 60},
		{"suggestion label", "3:00 PM", 15 * 60},
		{"earliest wins", "3pm or 4pm", 15 * 60},
		{"iso date", "2026-12-15", -1},
		{"slash date", "12/15", -1},
		{"at a date", "at 12/15", -1},
		{"phone", "555-123-4567", -1},
		{"phone after at", "call me at 555 1234", -1},
		{"people", "a table at 2 people", -1},
		{"day of month after at", "at 15th", -1},
		{"month after at", "at 15 Dec", -1},
		{"13pm", "13pm", -1},
		{"25:00", "25:00", -1},
		{"bad minutes", "3:75", -1},
		{"amazing is not am", "3 amazing photos", -1},
		{"email", "ann3pm@example.com", -1},
		{"word", "tomorrow morning", -1},
		{"empty", "", -1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := ParseTime(tt.text)
			if tt.want < 0 {
				if ok {
					t.Fatalf("ParseTime(%q) = %d, want no time", tt.text, got)
				}
				return
			}
			if !ok || got != tt.want {
				t.Fatalf("ParseTime(%q) = %d, %v; want %d", tt.text, got, ok, tt.want)
			}
		})
	}
}

func TestParseName(t *testing.T) {
	tests := []struct {
		name string
		text string
		want string // "" means not ok
	}{
		{"i'm", "I'm Ann", "Ann"},
		{"curly apostrophe", "I\u2019m Ann", "Ann"},
		{"i am two words lower case", "i am ann lee", "Ann Lee"},
		{"my name is", "my name is Ann Lee", "Ann Lee"},
		{"this is", "this is Bob", "Bob"},
		{"name colon", "name: Ann Lee", "Ann Lee"},
		{"name colon no space", "Name:ann", "Ann"},
		{"call me", "call me Bob", "Bob"},
		{"im without apostrophe", "hi im sam", "Sam"},
		{"stops at comma", "I'm Ann, ann@example.com", "Ann"},
		{"stops at and", "My name is Ann Lee and I'd like a portrait", "Ann Lee"},
		{"stops at from", "I'm Ann Lee from Boston", "Ann Lee"},
		{"stops at email", "I'm Ann ann@example.com", "Ann"},
		{"strips trailing punctuation", "My name is Ann!", "Ann"},
		{"particles kept as typed", "my name is Anna Maria de Souza", "Anna Maria de Souza"},
		{"at most three name words", "my name is Ann Marie Lee Smith", "Ann Marie Lee"},
		{"van", "I'm Jan van Dijk", "Jan van Dijk"},
		{"de la lower case", "my name is luis de la fuente", "Luis de la Fuente"},
		{"accent and apostrophe", "I'm Chlo\u00eb D'Souza", "Chlo\u00eb D'Souza"},
		{"curly apostrophe in a name", "my name is Chlo\u00eb D\u2019Souza", "Chlo\u00eb D'Souza"},
		{"name's", "name's Kate", "Kate"},
		{"for a capitalised name", "mini session at 3pm for Jane Roe, jane@example.com", "Jane Roe"},
		{"for my daughter", "a portrait for my daughter", ""},
		{"for friday", "book it for Friday", ""},
		{"spelt", "my name is spelt Jon, not John", "Jon"},
		{"apostrophe and hyphen", "i'm mary-jane o'brien", "Mary-Jane O'Brien"},
		{"mixed case kept", "I'm Ann McDonald", "Ann McDonald"},
		{"upper case", "MY NAME IS ANN", "Ann"},
		{"in a long message", "I'd like the mini session on Friday at 3pm, I'm Ann, ann@example.com", "Ann"},
		{"looking is no name", "I'm looking for a portrait session", ""},
		{"interested is no name", "I am interested in weddings", ""},
		{"free is no name", "I'm free on Friday", ""},
		{"this is great", "this is great", ""},
		{"this is for", "this is for my daughter", ""},
		{"call me at", "call me at 555 1234", ""},
		{"call me later", "call me later", ""},
		{"this is perfect", "this is perfect, thanks", ""},
		{"keen", "I'm keen on a portrait", ""},
		{"it's", "it's Ann", "Ann"},
		{"it's fine", "it's fine", ""},
		{"it's friday", "it's Friday I want", ""},
		{"email is no name", "my name is ann@example.com", ""},
		{"no name", "Friday at 3pm", ""},
		{"empty", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := ParseName(tt.text)
			if tt.want == "" {
				if ok {
					t.Fatalf("ParseName(%q) = %q, want no name", tt.text, got)
				}
				return
			}
			if !ok || got != tt.want {
				t.Fatalf("ParseName(%q) = %q, %v; want %q", tt.text, got, ok, tt.want)
			}
		})
	}
}

func TestParseBareName(t *testing.T) {
	tests := []struct {
		name string
		text string
		want string
	}{
		{"one word", "Ann", "Ann"},
		{"lower case", "ann lee", "Ann Lee"},
		{"trailing full stop", "Ann Lee.", "Ann Lee"},
		{"three words", "ann marie lee", "Ann Marie Lee"},
		{"introduced", "it's me, my name is Bob", "Bob"},
		{"hyphen and apostrophe", "mary-jane o'brien", "Mary-Jane O'Brien"},
		{"april is a name", "April", "April"},
		{"four words", "Ann Marie Lee Smith", ""},
		{"yes", "yes", ""},
		{"it's me", "it's me", ""},
		{"skip", "Skip", ""},
		{"question", "what?", ""},
		{"email", "ann@example.com", ""},
		{"digits", "555 1234", ""},
		{"weekday", "Friday", ""},
		{"services", "see services", ""},
		{"empty", "  ", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := ParseBareName(tt.text)
			if tt.want == "" {
				if ok {
					t.Fatalf("ParseBareName(%q) = %q, want no name", tt.text, got)
				}
				return
			}
			if !ok || got != tt.want {
				t.Fatalf("ParseBareName(%q) = %q, %v; want %q", tt.text, got, ok, tt.want)
			}
		})
	}
}

func TestParseEmail(t *testing.T) {
	tests := []struct {
		name string
		text string
		want string
	}{
		{"plain", "ann@example.com", "ann@example.com"},
		{"in a sentence, lower-cased", "Email: Ann.Lee@Example.COM.", "ann.lee@example.com"},
		{"plus and subdomain", "it's a.b+c@mail.co.uk thanks", "a.b+c@mail.co.uk"},
		{"no domain", "ann@", ""},
		{"no local part", "@example.com", ""},
		{"no tld", "ann@example", ""},
		{"spelled out", "ann at example dot com", ""},
		{"double dot", "ann..lee@example.com", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := ParseEmail(tt.text)
			if ok != (tt.want != "") || got != tt.want {
				t.Fatalf("ParseEmail(%q) = %q, %v; want %q", tt.text, got, ok, tt.want)
			}
		})
	}
}

func TestParsePhone(t *testing.T) {
	tests := []struct {
		name string
		text string
		want string
	}{
		{"dashes", "555-123-4567", "555-123-4567"},
		{"parentheses", "(555) 123-4567", "(555) 123-4567"},
		{"international", "+1 555 123 4567", "+1 555 123 4567"},
		{"uk", "my number is +44 20 7946 0958.", "+44 20 7946 0958"},
		{"digits only", "5551234567", "5551234567"},
		{"dots", "call me on 555.123.4567 thanks", "555.123.4567"},
		{"seven digits", "555 1234", "555 1234"},
		{"after a date and time", "Dec 15 at 3pm, 555-123-4567", "555-123-4567"},
		{"iso date", "2026-12-15", ""},
		{"us date with year", "12/15/2026", ""},
		{"dashed date", "12-15-2026", ""},
		{"month day year", "Dec 15 2026 3pm", ""},
		{"time", "15:00", ""},
		{"six digits", "123456", ""},
		{"sixteen digits", "1234567890123456", ""},
		{"price", "$1234567", ""},
		{"in an email", "ann5551234567@example.com", ""},
		{"in a word", "order ABC5551234567", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := ParsePhone(tt.text)
			if ok != (tt.want != "") || got != tt.want {
				t.Fatalf("ParsePhone(%q) = %q, %v; want %q", tt.text, got, ok, tt.want)
			}
		})
	}
}

var menu = []frontdesk.ServiceOut{
	{ID: "pkg_mini", Slug: "mini-session", Name: "Mini Session", BookingType: frontdesk.BookingTimeslot},
	{ID: "pkg_wedding", Slug: "wedding-photography", Name: "Wedding Photography", BookingType: frontdesk.BookingDate},
	{ID: "pkg_portrait", Slug: "portrait-session", Name: "Portrait Session", BookingType: frontdesk.BookingTimeslot},
	{ID: "pkg_family", Slug: "family-photos", Name: "Family Photos", BookingType: frontdesk.BookingTimeslot},
}

func TestMatchService(t *testing.T) {
	tests := []struct {
		name string
		text string
		want string // id, "" means no match
	}{
		{"loose name", "the mini session", "pkg_mini"},
		{"exact name", "Mini Session", "pkg_mini"},
		{"shouting", "MINI SESSION!", "pkg_mini"},
		{"slug", "mini-session", "pkg_mini"},
		{"one distinctive word", "portrait", "pkg_portrait"},
		{"plural", "portraits please", "pkg_portrait"},
		{"stem", "wedding photos", "pkg_wedding"},
		{"one word of the name", "I'd like to book for my wedding", "pkg_wedding"},
		{"family", "family", "pkg_family"},
		{"menu number", "2", "pkg_wedding"},
		{"menu number with hash", "#3", "pkg_portrait"},
		{"option number", "option 1", "pkg_mini"},
		{"number out of range", "9", ""},
		{"zero", "0", ""},
		{"shared word is ambiguous", "a session", ""},
		{"shared stem is ambiguous", "photos", ""},
		{"nothing", "hello there", ""},
		{"number in a sentence is not a menu item", "2 people", ""},
		{"empty", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := MatchService(tt.text, menu)
			if tt.want == "" {
				if ok {
					t.Fatalf("MatchService(%q) = %s, want no match", tt.text, got.ID)
				}
				return
			}
			if !ok || got.ID != tt.want {
				t.Fatalf("MatchService(%q) = %s, %v; want %s", tt.text, got.ID, ok, tt.want)
			}
		})
	}
	if _, ok := MatchService("mini", nil); ok {
		t.Fatal("MatchService matched with no services")
	}
}

func TestParseIntent(t *testing.T) {
	tests := []struct {
		text string
		want Intent
	}{
		{"hi", IntentGreeting},
		{"Hello there!", IntentGreeting},
		{"good morning", IntentGreeting},
		{"See services", IntentServices},
		{"what do you offer?", IntentServices},
		{"how much is it", IntentServices},
		{"Opening hours", IntentHours},
		{"what are your hours?", IntentHours},
		{"are you open on sundays", IntentHours},
		{"I need 2 hours", IntentNone},
		{"Cancellation policy", IntentPolicy},
		{"can I get a refund?", IntentPolicy},
		{"can I cancel 48 hours before?", IntentPolicy},
		{"how do I reschedule", IntentPolicy},
		{"Contact details", IntentContact},
		{"contact", IntentContact},
		{"what's your phone number", IntentContact},
		{"can I talk to a human", IntentContact},
		{"contact me at ann@example.com", IntentNone},
		{"my phone number is 555 1234", IntentNone},
		{"yes", IntentYes},
		{"Yes please", IntentYes},
		{"ok", IntentYes},
		{"Try again", IntentYes},
		{"no", IntentNo},
		{"nope", IntentNo},
		{"Skip", IntentSkip},
		{"no thanks", IntentSkip},
		{"start over", IntentRestart},
		{"Start over", IntentRestart},
		{"I want to book another", IntentRestart},
		{"I'd like to book", IntentBook},
		{"can you help me book?", IntentBook},
		{"thanks!", IntentThanks},
		{"bye", IntentThanks},
		{"help", IntentHelp},
		{"what can you do?", IntentHelp},
		{"Friday at 3pm", IntentNone},
		{"", IntentNone},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			if got := ParseIntent(tt.text); got != tt.want {
				t.Fatalf("ParseIntent(%q) = %q, want %q", tt.text, got, tt.want)
			}
		})
	}
}

func TestPolicyTopic(t *testing.T) {
	tests := []struct{ text, want string }{
		{"Cancellation policy", TopicCancellation},
		{"can I cancel?", TopicCancellation},
		{"refunds?", TopicRefund},
		{"can I reschedule", TopicReschedule},
		{"do you take a deposit", TopicPayment},
		{"your policies", ""},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			if got := PolicyTopic(tt.text); got != tt.want {
				t.Fatalf("PolicyTopic(%q) = %q, want %q", tt.text, got, tt.want)
			}
		})
	}
}

func TestFormatClock(t *testing.T) {
	for m, want := range map[int]string{0: "12:00 AM", 9 * 60: "9:00 AM", 12*60 + 30: "12:30 PM", 15 * 60: "3:00 PM"} {
		if got := formatClock(m); got != want {
			t.Errorf("formatClock(%d) = %q, want %q", m, got, want)
		}
		if got, ok := ParseTime(want); !ok || got != m {
			t.Errorf("ParseTime(%q) = %d, %v; want %d", want, got, ok, m)
		}
	}
}

func TestWeekdaySlip(t *testing.T) {
	for word, want := range map[string]string{"teusday": "Tuesday", "firday": "Friday", "wednseday": "Wednesday", "satruday": "Saturday", "mondy": "Monday"} {
		if w, ok := weekdaySlip(word); !ok || w.String() != want {
			t.Errorf("weekdaySlip(%q) = %v, %v; want %s", word, w, ok, want)
		}
	}
	// Two days as close, a day spelt right, or a word that is not a day.
	for _, word := range []string{"tursday", "tuesday", "sundae", "munday", "money", "friends", "mondays"} {
		if w, ok := weekdaySlip(word); ok {
			t.Errorf("weekdaySlip(%q) = %v, want none", word, w)
		}
	}
}
