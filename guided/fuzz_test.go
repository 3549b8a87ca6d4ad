package guided

import (
	"context"
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"unicode"

	"github.com/frontdeskhq/frontdesk"
)

// The seeds below are also kept in testdata/fuzz, with a few hostile inputs
// that have no place in a readable list.

var fuzzTexts = []string{
	"2026-12-15", "tomorrow", "Friday", "next Friday", "Dec 15", "December 15th",
	"15 December", "15 Dec", "12/15", "15/12", "12/15/27", "Feb 30", "Feb 29", "on the 31st",
	"9999-12-31", "0000-00-00", "3pm", "3:30 p.m.", "15:00", "at 9", "noon", "at 12/15",
	"555-123-4567", "+44 20 7946 0958", "I'm Ann", "my name is Ann Lee", "name: Ann",
	"ann@example.com", "I'd like the mini session on Friday at 3pm, I'm Ann, ann@example.com",
	"", " ", "\x00", "\xff\xfe", "İİİ", "@@@", "12:", ":00", "99/99/9999",
}

func FuzzParseDate(f *testing.F) {
	for _, s := range fuzzTexts {
		f.Add(s, int16(0))
	}
	f.Add("Sunday", int16(3))
	f.Add("next monday", int16(-365))
	f.Fuzz(func(t *testing.T, text string, offset int16) {
		today := thursday.AddDays(int(offset))
		d, ok := ParseDate(text, today)
		if !ok {
			if d != (frontdesk.Date{}) {
				t.Fatalf("ParseDate(%q) = %s with ok false", text, d)
			}
			return
		}
		if _, err := frontdesk.ParseDate(d.String()); err != nil {
			t.Fatalf("ParseDate(%q) = %s, not a real date: %v", text, d, err)
		}
		if again, _ := ParseDate(text, today); again != d {
			t.Fatalf("ParseDate(%q) gave %s then %s", text, d, again)
		}
	})
}

func FuzzParseTime(f *testing.F) {
	for _, s := range fuzzTexts {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		m, ok := ParseTime(text)
		if ok && (m < 0 || m >= 24*60) {
			t.Fatalf("ParseTime(%q) = %d minutes", text, m)
		}
		if !ok && m != 0 {
			t.Fatalf("ParseTime(%q) = %d with ok false", text, m)
		}
	})
}

// FuzzParseText runs the other parsers on one text.
func FuzzParseText(f *testing.F) {
	for _, s := range fuzzTexts {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		for _, parse := range []func(string) (string, bool){ParseName, ParseBareName} {
			if n, ok := parse(text); ok {
				// Up to three name words and the particles between them
				// ("Luis de la Fuente").
				words, main := strings.Fields(n), 0
				for i, w := range words {
					if i == 0 || !nameParticles[strings.TrimSuffix(strings.ToLower(w), ".")] {
						main++
					}
				}
				if main == 0 || main > 3 || len(words) > 6 || strings.ContainsAny(n, "@0123456789") {
					t.Fatalf("name %q from %q", n, text)
				}
			}
		}
		if e, ok := ParseEmail(text); ok && (strings.Count(e, "@") != 1 || e != strings.ToLower(e)) {
			t.Fatalf("email %q from %q", e, text)
		}
		if p, ok := ParsePhone(text); ok {
			digits := strings.Count(strings.Map(func(r rune) rune {
				if r >= '0' && r <= '9' {
					return 'd'
				}
				return -1
			}, p), "d")
			if digits < 7 || digits > 15 {
				t.Fatalf("phone %q from %q has %d digits", p, text, digits)
			}
		}
		if s, ok := MatchService(text, menu); ok && s.ID == "" {
			t.Fatalf("MatchService(%q) matched no service", text)
		}
		ParseIntent(text)
		PolicyTopic(text)
		for _, r := range normalize(text) {
			if r == unicode.ReplacementChar && !strings.ContainsRune(text, unicode.ReplacementChar) {
				t.Fatalf("normalize(%q) kept invalid UTF-8", text)
			}
		}
	})
}

// FuzzRespond holds a two-turn conversation from any state. mode's bits make
// the tools answer garbage (1) or fail to book (2).
func FuzzRespond(f *testing.F) {
	f.Add("", "hi", "See services", uint8(0))
	f.Add("", "I'd like the mini session on Friday at 3pm, I'm Ann, ann@example.com", "skip", uint8(0))
	f.Add("", "wedding on dec 12", "Mon Dec 14", uint8(2))
	f.Add(`{"v":3,"asked":"time","serviceId":"pkg_mini","serviceName":"Mini Session","bookingType":"TIMESLOT","date":"2026-12-11","dateOpen":true}`, "3:00 PM", "no", uint8(0))
	f.Add(`{"v":3,"asked":"confirm","serviceId":"pkg_wedding","bookingType":"DATE","date":"2026-12-15","dateOpen":true,"name":"Ann","email":"a@b.co","phoneSkipped":true}`, "change the date", "yes", uint8(1))
	f.Add(`{not json`, "start over", "what are your hours?", uint8(3))
	f.Add("", "cancel my booking BK-7XK3QM", "ann@example.com", uint8(0))
	f.Add(`{"v":3,"change":"move","code":"BK-7XK3QM","bookingEmail":"ann@example.com","asked":"moveDate"}`, "friday", "Another time", uint8(0))
	f.Add(`{"v":3,"change":"human","asked":"humanEmail","humanReason":"x"}`, "what are your hours?", "skip", uint8(1))
	f.Fuzz(func(t *testing.T, st, msg1, msg2 string, mode uint8) {
		run := func() []Turn {
			tools := newFakeTools()
			tools.garbage = mode&1 != 0
			if mode&2 != 0 {
				tools.bookErrors = []string{"That date is no longer available.", "customerEmail is not valid"}
			}
			state := json.RawMessage(st)
			var turns []Turn
			for _, msg := range []string{msg1, msg2} {
				turn := Respond(context.Background(), Input{Tenant: testTenant(), Now: testNow, State: state, Message: msg, Tools: tools})
				checkTurn(t, turn)
				state = turn.State
				turns = append(turns, turn)
			}
			return turns
		}
		if a, b := run(), run(); !reflect.DeepEqual(a, b) {
			t.Fatalf("not deterministic:\n%+v\n%+v", a, b)
		}
	})
}

// FuzzExtract: the extractor never panics, and every field it reports lies
// inside the message and is the message's text at that span.
func FuzzExtract(f *testing.F) {
	for _, s := range fuzzTexts {
		f.Add(s, uint8(0))
	}
	f.Add("mini session next Friday at 3pm for Jane Roe, jane@example.com, 212-555-0199", uint8(1))
	f.Add("I\u2019m Chlo\u00eb D\u2019Souza \xff at 11:30am", uint8(2))
	f.Fuzz(func(t *testing.T, text string, expect uint8) {
		o := ExtractOptions{Today: thursday, Services: func() []frontdesk.ServiceOut { return menu }, DayFirst: expect&8 != 0}
		o.Expect = []FieldKind{"", FieldService, FieldDate, FieldTime, FieldName, FieldCode}[int(expect)%6]
		ex := Extract(text, o)
		for _, fs := range [][]Field{ex.Fields, ex.Dropped} {
			for _, fd := range fs {
				if fd.Start < 0 || fd.End > len(text) || fd.Start > fd.End {
					t.Fatalf("%s span [%d,%d) outside %d bytes of %q", fd.Kind, fd.Start, fd.End, len(text), text)
				}
				if fd.Text != text[fd.Start:fd.End] {
					t.Fatalf("%s text %q is not the message's %q", fd.Kind, fd.Text, text[fd.Start:fd.End])
				}
			}
		}
	})
}
