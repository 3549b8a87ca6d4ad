package guided

// Numbers that belong to something other than the booking: a birth date,
// an age, a street address. What a number is next to says which: "born",
// "turns 16", "Oak St". They are set aside before dates and times are read,
// so a birthday is not the day booked nor a house number an hour.

import "regexp"

var (
	// reLifeEvent ends right before a date that is someone's birth or
	// birthday: "born 4/12/1990", "DOB: 4/12/1990", "turns 16 on saturday".
	reLifeEvent = regexp.MustCompile(`(?i)\b(?:born|d\.?o\.?b\.?|date of birth|(?:turns|turning)\s+\d{1,3})(?:\s+(?:on|in))?\s*:?\s*$`)
	// reStreet is a house number and a street of capitalised words: "12 Oak
	// St", "30 Rock Plaza", "221B Baker Street".
	reStreet = regexp.MustCompile(`\b\d{1,5}[A-Za-z]?\s+(?:[A-Z][a-z]+\s+){1,3}(?:St|Street|Ave|Avenue|Rd|Road|Ln|Lane|Blvd|Boulevard|Dr|Drive|Way|Ct|Court|Pl|Place|Plaza|Sq|Square|Terrace|Crescent)\b\.?`)
)

// lifeEventDate reports whether a date written at start in s is a birth
// date or birthday rather than a day asked for.
func lifeEventDate(s string, start int) bool {
	return reLifeEvent.MatchString(s[max(0, start-30):start])
}

// streetSpans returns where street addresses are written in s.
func streetSpans(s string) [][]int {
	return reStreet.FindAllStringIndex(s, -1)
}
