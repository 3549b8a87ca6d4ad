package frontdesk

import (
	"testing"
	"time"
)

func TestCheckAvailabilityStarts(t *testing.T) {
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Fatal(err)
	}
	o := &CheckAvailabilityOut{Days: []DayOut{
		{Date: "2026-12-14", Times: []string{"09:00", "10:15"}},
		{Date: "2026-12-15", Times: []string{"13:30", "bad"}},
	}}
	if got := o.Starts(ny); len(got) != 3 || !got[0].Equal(time.Date(2026, 12, 14, 14, 0, 0, 0, time.UTC)) ||
		!got[2].Equal(time.Date(2026, 12, 15, 18, 30, 0, 0, time.UTC)) {
		t.Fatalf("Starts = %v", got)
	}
	got := o.StartsOn("2026-12-15", ny)
	if len(got) != 1 || !got[0].Equal(time.Date(2026, 12, 15, 18, 30, 0, 0, time.UTC)) || got[0].Location() != ny {
		t.Fatalf("StartsOn(15th) = %v, want 1:30 PM New York only (a time that does not parse is skipped)", got)
	}
	if got := o.StartsOn("2026-12-16", ny); got != nil {
		t.Fatalf("StartsOn a day not offered = %v", got)
	}
}
