package guided

import (
	"strings"
	"testing"

	"github.com/frontdeskhq/frontdesk"
)

func extractOpts() ExtractOptions {
	return ExtractOptions{Today: thursday, Services: func() []frontdesk.ServiceOut { return newFakeTools().services }}
}

// TestExtract checks that every field of a message is found, with its
// text, and that one field's digits are never another's.
func TestExtract(t *testing.T) {
	tests := []struct {
		name  string
		text  string
		want  map[FieldKind]string // kind → value; a kind absent must not be found
		text2 map[FieldKind]string // kind → the message's text at the field's span
	}{
		{"minutes in a sentence", "I'd like a mini session on thursday at 11:30am",
			map[FieldKind]string{FieldService: "pkg_mini", FieldDate: "2026-12-17", FieldTime: "11:30"},
			map[FieldKind]string{FieldTime: "11:30am", FieldDate: "on thursday"}},
		{"2:30pm", "portrait session friday at 2:30pm", map[FieldKind]string{FieldService: "pkg_portrait", FieldDate: "2026-12-11", FieldTime: "14:30"}, nil},
		{"whole booking with a phone", "mini session next Friday at 3pm for Jane Roe, jane@example.com, 212-555-0199",
			map[FieldKind]string{FieldService: "pkg_mini", FieldDate: "2026-12-18", FieldTime: "15:00", FieldName: "Jane Roe", FieldEmail: "jane@example.com", FieldPhone: "212-555-0199"},
			map[FieldKind]string{FieldName: "Jane Roe", FieldPhone: "212-555-0199"}},
		{"time before date", "3pm on Dec 15 please", map[FieldKind]string{FieldDate: "2026-12-15", FieldTime: "15:00"}, nil},
		{"around", "around 3pm tomorrow", map[FieldKind]string{FieldDate: "2026-12-11", FieldTime: "15:00"}, nil},
		{"dotted", "friday 10.30", map[FieldKind]string{FieldDate: "2026-12-11", FieldTime: "10:30"}, nil},
		{"p.m.", "monday at 2 p.m.", map[FieldKind]string{FieldDate: "2026-12-14", FieldTime: "14:00"}, nil},
		{"afternoon", "tuesday in the afternoon", map[FieldKind]string{FieldDate: "2026-12-15", FieldTime: "12:00-16:59"}, nil},
		{"after 2pm", "after 2pm on wednesday", map[FieldKind]string{FieldDate: "2026-12-16", FieldTime: "14:00-23:59"}, nil},
		{"weekday and date", "Saturday, Dec 5", map[FieldKind]string{FieldDate: "2027-12-05"}, nil},
		{"price is no time", "is it $150.00?", map[FieldKind]string{FieldIntent: "question"}, nil},
		{"email digits", "bob2030@example.com", map[FieldKind]string{FieldEmail: "bob2030@example.com"}, nil},
		{"spaced code", "cancel bk 7xk 3qm please", map[FieldKind]string{FieldCode: "BK-7XK3QM", FieldIntent: "cancel"}, nil},
		{"correction of time", "friday at 2pm, no wait, 3pm", map[FieldKind]string{FieldDate: "2026-12-11", FieldTime: "15:00", FieldCorrection: "no wait"}, nil},
		{"correction asked as a question", "monday at 3pm, tom@example.com - actually can we make it 3:30?",
			map[FieldKind]string{FieldDate: "2026-12-14", FieldTime: "15:30", FieldEmail: "tom@example.com", FieldIntent: "question", FieldCorrection: "actually"}, nil},
		{"time asked about gives way", "monday at 3pm. are you open at 4pm?",
			map[FieldKind]string{FieldDate: "2026-12-14", FieldTime: "15:00", FieldIntent: "hours"}, nil},
		{"two times unsure", "friday at 2pm or 3pm", map[FieldKind]string{FieldDate: "2026-12-11"}, nil},
		{"negated name", "my name is spelt Jon, not John", map[FieldKind]string{FieldName: "Jon", FieldCorrection: "spelt"}, nil},
		{"name's", "name's Kate", map[FieldKind]string{FieldName: "Kate"}, nil},
		{"accented", "I'm Chlo\u00eb D\u2019Souza", map[FieldKind]string{FieldName: "Chlo\u00eb D'Souza"}, map[FieldKind]string{FieldName: "Chlo\u00eb D\u2019Souza"}},
		{"typo", "a portriat please", map[FieldKind]string{FieldService: "pkg_portrait"}, nil},
		{"duration", "a 30-minute shoot", map[FieldKind]string{FieldService: "pkg_mini"}, nil},
		{"occasion", "we're getting married on the 22nd", map[FieldKind]string{FieldService: "pkg_wedding", FieldDate: "2026-12-22"}, nil},
		{"code and intent", "cancel BK-7XK3QM please", map[FieldKind]string{FieldCode: "BK-7XK3QM", FieldIntent: "cancel"}, nil},
		{"human", "I want to talk to a human", map[FieldKind]string{FieldIntent: "human"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ex := Extract(tt.text, extractOpts())
			for _, f := range ex.Fields {
				if f.Kind == FieldCorrection {
					continue
				}
				want, ok := tt.want[f.Kind]
				if !ok {
					t.Errorf("found %s %q (%q), want none", f.Kind, f.Value, f.Text)
				} else if f.Value != want {
					t.Errorf("%s = %q, want %q", f.Kind, f.Value, want)
				}
				if txt, ok := tt.text2[f.Kind]; ok && f.Text != txt {
					t.Errorf("%s text %q, want %q", f.Kind, f.Text, txt)
				}
			}
			for k, v := range tt.want {
				if f, ok := ex.Get(k); !ok || k == FieldCorrection && f.Value != v {
					t.Errorf("%s %q not found in %+v", k, v, ex.Fields)
				}
			}
		})
	}
}

func TestExtractDayFirst(t *testing.T) {
	o := extractOpts()
	if f, _ := Extract("5/1", o).Get(FieldDate); f.Value != "2027-05-01" {
		t.Fatalf("month first: 5/1 = %q", f.Value)
	}
	o.DayFirst = true
	if f, _ := Extract("5/1", o).Get(FieldDate); f.Value != "2027-01-05" {
		t.Fatalf("day first: 5/1 = %q", f.Value)
	}
	for zone, want := range map[string]bool{"America/New_York": false, "Europe/London": true, "America/Sao_Paulo": true, "UTC": false, "Australia/Sydney": true} {
		if got := dayFirstZone(zone); got != want {
			t.Errorf("dayFirstZone(%q) = %v", zone, got)
		}
	}
}

func TestExtractExpect(t *testing.T) {
	o := extractOpts()
	o.Expect = FieldTime
	if f, _ := Extract("3", o).Get(FieldTime); f.Value != "15:00" {
		t.Fatalf("3 after what time = %q", f.Value)
	}
	o.Expect = FieldName
	if f, _ := Extract("jan van dijk", o).Get(FieldName); f.Value != "Jan van Dijk" {
		t.Fatalf("bare name = %q", f.Value)
	}
}

func TestGreetingFor(t *testing.T) {
	if GreetingFor(testTenant(), nil) != Greeting(testTenant()) {
		t.Fatal("GreetingFor without a customer differs from Greeting")
	}
	if g := GreetingFor(testTenant(), &Customer{Name: "Ann Lee"}); !strings.HasPrefix(g, "Welcome back, Ann!") {
		t.Fatalf("greeting %q", g)
	}
	if g := GreetingFor(testTenant(), &Customer{Name: "  "}); g != Greeting(testTenant()) {
		t.Fatalf("a customer without a name is greeted %q, want the plain greeting", g)
	}
	// Every quick reply under the greeting is understood as a first message.
	for _, chip := range GreetingSuggestions() {
		s := newSession(t)
		turn := s.say(chip)
		if strings.Contains(turn.Reply, "Sorry") || strings.Contains(turn.Reply, "don't have an answer") {
			t.Errorf("the greeting's quick reply %q gets %q", chip, turn.Reply)
		}
	}
}

// A returning customer is not asked for name or email, and may correct them.
func TestReturningCustomer(t *testing.T) {
	s := newSession(t)
	s.customer = &Customer{Name: "Ann Lee", Email: "ann@example.com"}
	say := s.say
	turn := say("mini session friday at 3pm")
	wantReply(t, turn, "Ann Lee (ann@example.com)", "Please confirm below.")
	say("oops, wrong email: ann.lee@example.org")
	got := s.bookings()
	if len(got) != 2 || got[1].CustomerEmail != "ann.lee@example.org" || got[1].CustomerName != "Ann Lee" {
		t.Fatalf("bookings %+v", got)
	}
}

// The time proposed is the time written; a time that is not open is said
// to be so and never rounded.
func TestNeverRoundsTheTime(t *testing.T) {
	s := newSession(t)
	turn := s.say("portrait session friday at 2:30pm, I'm Ann, ann@example.com")
	wantReply(t, turn, "Sorry, 2:30 PM isn't available on Friday, December 11.")
	if len(s.bookings()) != 0 {
		t.Fatalf("booked %+v", s.bookings())
	}
}

func TestNoThirdSameQuestion(t *testing.T) {
	s := newSession(t)
	s.say("mini session")
	s.say("blorp")
	turn := s.say("zzz")
	if strings.Contains(turn.Reply, "Sorry, I didn't catch a date") {
		t.Fatalf("same apology a second time: %q", turn.Reply)
	}
	if !strings.Contains(strings.Join(turn.Suggestions, "|"), "Talk to a person") {
		t.Fatalf("no person offered: %q", turn.Suggestions)
	}
}
