package mail

import (
	"math"
	"testing"
)

func TestFormatMoney(t *testing.T) {
	for _, c := range []struct {
		minor    int64
		currency string
		want     string
	}{
		{15000, "usd", "$150.00"},
		{15000, "USD", "$150.00"},
		{5, "usd", "$0.05"},
		{0, "usd", "$0.00"},
		{123456789, "eur", "€1,234,567.89"},
		{-2550, "gbp", "-£25.50"},
		{1500, "jpy", "¥1,500"},
		{0, "jpy", "¥0"},
		{50000, "krw", "₩50,000"},
		{1234, "kwd", "KWD 1.234"},
		{150000, "sek", "SEK 1,500.00"},
		{100, "", "1.00"},
		{math.MinInt64, "usd", "-$92,233,720,368,547,758.08"},
	} {
		if got := FormatMoney(c.minor, c.currency); got != c.want {
			t.Errorf("FormatMoney(%d, %q) = %q, want %q", c.minor, c.currency, got, c.want)
		}
	}
}
