package mail

import "testing"

func TestOutboxMessageID(t *testing.T) {
	const id = "0123456789abcdef0123456789abcdef"
	for _, c := range []struct {
		name, id, from, want string
	}{
		{"name and address", id, "Frontdesk <bookings@frontdesk.example>", "<outbox-" + id + "@frontdesk.example>"},
		{"bare address, upper case", id, "Bookings@Studio.Example", "<outbox-" + id + "@studio.example>"},
		{"no sender", id, "", "<outbox-" + id + "@frontdesk.local>"},
		{"not an address", id, "Frontdesk", "<outbox-" + id + "@frontdesk.local>"},
		{"address literal", id, "b@[127.0.0.1]", "<outbox-" + id + "@frontdesk.local>"},
		{"non-ASCII domain", id, "b@bücher.example", "<outbox-" + id + "@frontdesk.local>"},
		{"line break in From", id, "Frontdesk\r\n<bookings@frontdesk.example>", "<outbox-" + id + "@frontdesk.example>"},
		{"no id", "", "bookings@frontdesk.example", ""},
		{"id a Message-ID cannot hold", "a b>", "bookings@frontdesk.example", ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			got := OutboxMessageID(c.id, c.from)
			if got != c.want {
				t.Errorf("OutboxMessageID(%q, %q) = %q, want %q", c.id, c.from, got, c.want)
			}
			if got != "" {
				if n, ok := NormalizeMessageID(got); !ok || n != got {
					t.Errorf("%q is not a valid Message-ID", got)
				}
			}
		})
	}
	if OutboxMessageID("a", "x@y.example") == OutboxMessageID("b", "x@y.example") {
		t.Error("two outbox emails share a Message-ID")
	}
}

func TestNormalizeMessageID(t *testing.T) {
	for in, want := range map[string]string{
		"<outbox-1@frontdesk.example>":   "<outbox-1@frontdesk.example>",
		" outbox-1@frontdesk.example ":   "<outbox-1@frontdesk.example>",
		"<a.b+c@d.e>":                    "<a.b+c@d.e>",
		"":                               "",
		"<>":                             "",
		"no-at-sign":                     "",
		"<@frontdesk.example>":           "",
		"<a@>":                           "",
		"<a..b@c>":                       "",
		"<a b@c>":                        "",
		"<a@c>\r\nBcc: x@y":              "",
		"<a\r\nBcc: x@y@frontdesk.test>": "",
	} {
		got, ok := NormalizeMessageID(in)
		if got != want || ok != (want != "") {
			t.Errorf("NormalizeMessageID(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
}
