package mail

import (
	netmail "net/mail"
	"strings"
)

// DefaultMessageIDDomain is the right-hand part of a Message-ID when the
// sender's address has no domain fit for one.
const DefaultMessageIDDomain = "frontdesk.local"

// OutboxMessageID returns the Message-ID header value of the outbox email
// with this id, sent from the address in from (MAIL_FROM):
// "<outbox-{id}@{from's domain}>", or @frontdesk.local when from has no
// plain ASCII domain. Every attempt at sending the email carries the same
// Message-ID, so that a second copy sent after a crash is one message to
// mail clients. It returns "" for an id a Message-ID cannot hold (the
// provider then makes up one).
func OutboxMessageID(outboxID, from string) string {
	left := "outbox-" + outboxID
	if outboxID == "" || !dotAtom(left) {
		return ""
	}
	return "<" + left + "@" + senderDomain(from) + ">"
}

// senderDomain is the lower-cased domain of the address in from, or
// DefaultMessageIDDomain.
func senderDomain(from string) string {
	a, err := netmail.ParseAddress(HeaderSafe(from))
	if err != nil {
		return DefaultMessageIDDomain
	}
	at := strings.LastIndexByte(a.Address, '@')
	if at < 0 {
		return DefaultMessageIDDomain
	}
	domain := strings.ToLower(a.Address[at+1:])
	if !hostname(domain) {
		return DefaultMessageIDDomain
	}
	return domain
}

// hostname reports whether s is a DNS name of ASCII letters, digits and
// hyphens, with labels that neither start nor end with a hyphen.
func hostname(s string) bool {
	if s == "" || len(s) > 253 {
		return false
	}
	for label := range strings.SplitSeq(s, ".") {
		if label == "" || len(label) > 63 || label[0] == '-' || label[len(label)-1] == '-' {
			return false
		}
		for i := 0; i < len(label); i++ {
			c := label[i]
			if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-') {
				return false
			}
		}
	}
	return true
}

// NormalizeMessageID returns s as a Message-ID header value "<left@right>"
// (the brackets added when s lacks them) and true, or "" and false when s
// is not a msg-id of RFC 5322 §3.6.4 in its dot-atom form on both sides.
func NormalizeMessageID(s string) (string, bool) {
	s = strings.TrimSpace(s)
	if strings.HasPrefix(s, "<") && strings.HasSuffix(s, ">") {
		s = s[1 : len(s)-1]
	}
	at := strings.LastIndexByte(s, '@')
	if at <= 0 || !dotAtom(s[:at]) || !dotAtom(s[at+1:]) {
		return "", false
	}
	return "<" + s + ">", true
}

// dotAtom reports whether s is RFC 5322 dot-atom-text: atext characters in
// runs separated by single dots.
func dotAtom(s string) bool {
	if s == "" || s[0] == '.' || s[len(s)-1] == '.' || strings.Contains(s, "..") {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9', c == '.':
		case strings.IndexByte("!#$%&'*+-/=?^_`{|}~", c) >= 0:
		default:
			return false
		}
	}
	return true
}
