package guided

// The generator of the evaluation corpus (testdata/corpus.jsonl): many
// phrasings × services × relative and absolute dates × times × names ×
// corrections × interruptions, each conversation with the booking it must
// end in. Regenerate with
//
//	go test ./guided -run TestGenerateCorpus -update-corpus
//
// The output is deterministic (a fixed seed), so a change shows in review.

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"strings"
	"testing"
)

var updateCorpus = flag.Bool("update-corpus", false, "rewrite testdata/corpus.jsonl from the templates")

const corpusFile = "testdata/corpus.jsonl"

// corpusCase is one conversation and the booking it must end in: a
// held-out case that expects a booking (the generated corpus is judged as
// the hand-written sets are).
type corpusCase = heldoutCase

// corpusBooking is the proposal the conversation must end in; Time is local
// HH:MM, empty for a whole-day service.
type corpusBooking struct {
	Service string `json:"service"`
	Date    string `json:"date"`
	Time    string `json:"time,omitempty"`
	Name    string `json:"name"`
	Email   string `json:"email"`
	Phone   string `json:"phone,omitempty"`
}

type genService struct {
	id      string
	slot    int // minutes between starts; 0 for a whole day
	phrases []string
}

var genServices = []genService{
	{"pkg_mini", 30, []string{"a mini session", "the mini session", "mini sessions", "a mini sesion", "a quick 30-minute shoot", "Mini Session", "one of your mini sessions"}},
	{"pkg_portrait", 60, []string{"a portrait session", "portraits", "a portriat session", "an hour-long shoot", "headshots", "the Portrait Session"}},
	{"pkg_wedding", 0, []string{"wedding photography", "a wedding", "weding photos", "photos of our wedding", "Wedding Photography"}},
}

// genDate is a way to write an open weekday, relative to Thursday 10
// December 2026 in New York (the fake tools' today).
type genDate struct{ text, date string }

var genDates = []genDate{
	{"tomorrow", "2026-12-11"}, {"Friday", "2026-12-11"}, {"this friday", "2026-12-11"},
	{"next Friday", "2026-12-18"}, {"Monday", "2026-12-14"}, {"next Tuesday", "2026-12-15"},
	{"wednesday", "2026-12-16"}, {"Thursday", "2026-12-17"}, {"Dec 15", "2026-12-15"},
	{"15 December", "2026-12-15"}, {"December 16th", "2026-12-16"}, {"Tuesday, Dec 15", "2026-12-15"},
	{"2026-12-17", "2026-12-17"}, {"12/17", "2026-12-17"}, {"the 21st", "2026-12-21"},
	{"on the 22nd", "2026-12-22"}, {"Mon Dec 14", "2026-12-14"}, {"Dec 18", "2026-12-18"},
}

// genTime is a way to write a time of day; minutes after midnight.
type genTime struct {
	text    string
	minutes int
}

var genTimes = []genTime{
	{"at 11:30am", 690}, {"at 2:30pm", 870}, {"11:30am", 690}, {"around 3pm", 900}, {"10.30", 630},
	{"at 2 p.m.", 840}, {"at 15:00", 900}, {"3pm", 900}, {"at 9am", 540}, {"at 4:30 pm", 990},
	{"@ 1pm", 780}, {"at 10am", 600}, {"4pm", 960}, {"at 12:30", 750}, {"at 9:30 AM", 570},
}

type genName struct{ name, email string }

var genNames = []genName{
	{"Jane Roe", "jane.roe@example.com"}, {"Jan van Dijk", "jan@vandijk.example"}, {"Luis de la Fuente", "luis.fuente@example.org"},
	{"Chloë D'Souza", "chloe@dsouza.example"}, {"Ann Lee", "ann.lee@example.com"}, {"Bob Smith", "bob42@example.net"},
	{"Kate", "kate.m@example.com"}, {"Ravi Patel", "ravi.patel@example.co.uk"}, {"Zoë Martin", "zoe.martin@example.fr"},
	{"Sean O'Neil", "sean.oneil@example.ie"}, {"Mary-Jane Watson", "mj@example.com"}, {"Tom Baker", "tom2024@example.com"},
}

var genPhones = []string{"212-555-0199", "(646) 555-0142", "+1 917 555 0123", "718.555.0170"}

var genQuestions = []string{"what does it cost?", "is there parking?", "do you accept cash?", "what are your opening hours?", "do you travel for shoots?", "what's your cancellation policy?"}

// generateCorpus builds the corpus from the templates.
func generateCorpus() []corpusCase {
	r := rand.New(rand.NewPCG(13, 2026))
	pick := func(n int) int { return r.IntN(n) }
	var out []corpusCase
	add := func(kind string, c corpusCase) {
		c.Kind = kind
		c.ID = fmt.Sprintf("%s-%03d", kind, len(out))
		out = append(out, c)
	}
	// pickTime chooses a time the service has a slot at.
	pickTime := func(svc genService) genTime {
		for {
			t := genTimes[pick(len(genTimes))]
			if t.minutes%svc.slot == 0 && t.minutes >= 9*60 && t.minutes+svc.slot <= 17*60 {
				return t
			}
		}
	}
	intro := func(n genName) string {
		return []string{"I'm %s", "my name is %s", "name's %s", "this is %s", "it's for %s"}[pick(5)]
	}
	case_ := func() (genService, genDate, genTime, genName, string) {
		svc := genServices[pick(len(genServices))]
		d := genDates[pick(len(genDates))]
		var t genTime
		if svc.slot > 0 {
			t = pickTime(svc)
		}
		n := genNames[pick(len(genNames))]
		phone := ""
		if pick(2) == 0 {
			phone = genPhones[pick(len(genPhones))]
		}
		return svc, d, t, n, phone
	}
	want := func(svc genService, d genDate, t genTime, n genName, phone string) corpusBooking {
		w := corpusBooking{Service: svc.id, Date: d.date, Name: n.name, Email: n.email, Phone: phone}
		if svc.slot > 0 {
			w.Time = hhmm(t.minutes)
		}
		return w
	}
	withPhone := func(s, phone string) string {
		if phone == "" {
			return s
		}
		return s + ", " + phone
	}
	when := func(d genDate, t genTime, timeFirst bool) string {
		if t.text == "" {
			return "on " + d.text
		}
		if timeFirst {
			return t.text + " " + d.text
		}
		return "on " + d.text + " " + t.text
	}

	for range 110 { // everything in one message
		svc, d, t, n, phone := case_()
		var msg string
		switch pick(4) {
		case 0:
			msg = fmt.Sprintf("I'd like %s %s, "+intro(n)+", %s", svc.phrases[pick(len(svc.phrases))], when(d, t, false), n.name, n.email)
		case 1:
			msg = fmt.Sprintf("Hi! Can I book %s %s for %s, %s", svc.phrases[pick(len(svc.phrases))], when(d, t, pick(2) == 0), n.name, n.email)
		case 2:
			msg = fmt.Sprintf("%s please. %s. "+intro(n)+" and my email is %s", svc.phrases[pick(len(svc.phrases))], when(d, t, true), n.name, n.email)
		default:
			msg = fmt.Sprintf("hello, "+intro(n)+". I want %s %s. email %s", n.name, svc.phrases[pick(len(svc.phrases))], when(d, t, false), n.email)
		}
		add("one-message", corpusCase{Turns: []string{withPhone(msg, phone)}, Want: want(svc, d, t, n, phone)})
	}
	for range 90 { // one thing at a time
		svc, d, t, n, phone := case_()
		turns := []string{"hi", "I'd like to book " + svc.phrases[pick(len(svc.phrases))], d.text}
		if t.text != "" {
			turns = append(turns, t.text)
		}
		name := n.name
		if pick(2) == 0 {
			name = fmt.Sprintf(intro(n), n.name)
		}
		turns = append(turns, name, withPhone(n.email, phone))
		add("step-by-step", corpusCase{Turns: turns, Want: want(svc, d, t, n, phone)})
	}
	for range 70 { // a correction of one field
		svc, d, t, n, phone := case_()
		first := fmt.Sprintf("%s %s", svc.phrases[pick(len(svc.phrases))], when(d, t, false))
		w := want(svc, d, t, n, phone)
		var turns []string
		var interim []corpusBooking
		switch k := pick(4); {
		case k == 0 && svc.slot > 0: // the time
			t2 := pickTime(svc)
			turns = []string{first, []string{"no wait, %s is better", "actually make it %s", "sorry, %s instead"}[pick(3)], fmt.Sprintf(intro(n)+", %s", n.name, withPhone(n.email, phone))}
			turns[1] = fmt.Sprintf(turns[1], strings.TrimPrefix(strings.TrimPrefix(t2.text, "at "), "@ "))
			w.Time = hhmm(t2.minutes)
		case k == 1: // the email
			turns = []string{first, fmt.Sprintf(intro(n)+", %s", n.name, withPhone("old."+n.email, phone)), "oops, wrong email: " + n.email}
			was := w
			was.Email = "old." + n.email
			interim = append(interim, was)
		case k == 2: // the name
			wrong := n.name + "n"
			turns = []string{first, fmt.Sprintf("my name is %s, %s", wrong, withPhone(n.email, phone)), fmt.Sprintf("my name is spelt %s, not %s", n.name, wrong)}
			was := w
			was.Name = wrong
			interim = append(interim, was)
		default: // the date
			d2 := genDates[pick(len(genDates))]
			turns = []string{first, fmt.Sprintf("actually, make it %s", d2.text), fmt.Sprintf(intro(n)+", %s", n.name, withPhone(n.email, phone))}
			w.Date = d2.date
		}
		add("correction", corpusCase{Turns: turns, Want: w, Interim: interim})
	}
	for range 70 { // a question in the middle
		svc, d, t, n, phone := case_()
		turns := []string{fmt.Sprintf("%s %s", svc.phrases[pick(len(svc.phrases))], when(d, t, pick(2) == 0)), genQuestions[pick(len(genQuestions))], fmt.Sprintf(intro(n)+", %s", n.name, withPhone(n.email, phone))}
		if pick(2) == 0 {
			turns = []string{svc.phrases[pick(len(svc.phrases))], genQuestions[pick(len(genQuestions))], when(d, t, false), fmt.Sprintf(intro(n)+", %s", n.name, withPhone(n.email, phone))}
		}
		add("interruption", corpusCase{Turns: turns, Want: want(svc, d, t, n, phone)})
	}
	for range 40 { // a window of time, then the time
		svc, d, _, n, phone := case_()
		if svc.slot == 0 {
			svc = genServices[pick(2)]
		}
		t := pickTime(svc)
		window := "in the afternoon"
		switch {
		case t.minutes < 12*60:
			window = []string{"in the morning", "before noon"}[pick(2)]
		case t.minutes > 14*60:
			window = []string{"after 2pm", "in the afternoon"}[pick(2)]
		}
		turns := []string{fmt.Sprintf("%s on %s %s", svc.phrases[pick(len(svc.phrases))], d.text, window), t.text, fmt.Sprintf(intro(n)+", %s", n.name, withPhone(n.email, phone))}
		add("window", corpusCase{Turns: turns, Want: want(svc, d, t, n, phone)})
	}
	for range 20 { // a business that requires a phone
		svc, d, t, n, _ := case_()
		phone := genPhones[pick(len(genPhones))]
		turns := []string{fmt.Sprintf("%s %s, "+intro(n)+", %s", svc.phrases[pick(len(svc.phrases))], when(d, t, false), n.name, n.email), phone}
		add("require-phone", corpusCase{Turns: turns, RequirePhone: true, Want: want(svc, d, t, n, phone)})
	}
	for range 20 { // a returning customer
		svc, d, t, n, phone := case_()
		turns := []string{fmt.Sprintf("%s %s please", svc.phrases[pick(len(svc.phrases))], when(d, t, pick(2) == 0))}
		add("returning", corpusCase{Turns: turns, Customer: &Customer{Name: n.name, Email: n.email, Phone: phone}, Want: want(svc, d, t, n, phone)})
	}
	return out
}

func TestGenerateCorpus(t *testing.T) {
	var b bytes.Buffer
	for _, c := range generateCorpus() {
		line, err := json.Marshal(c)
		if err != nil {
			t.Fatal(err)
		}
		b.Write(line)
		b.WriteByte('\n')
	}
	if *updateCorpus {
		if err := os.WriteFile(corpusFile, b.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	have, err := os.ReadFile(corpusFile)
	if err != nil {
		t.Fatalf("%v (run: go test ./guided -run TestGenerateCorpus -update-corpus)", err)
	}
	if !bytes.Equal(have, b.Bytes()) {
		t.Fatalf("%s is not what the templates generate; run: go test ./guided -run TestGenerateCorpus -update-corpus", corpusFile)
	}
}
