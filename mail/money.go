package mail

import (
	"strconv"
	"strings"
)

// zeroDecimal lists the ISO 4217 currencies whose minor unit is the major
// unit (the amount in "cents" is the amount), as Stripe treats them.
var zeroDecimal = map[string]bool{
	"BIF": true, "CLP": true, "DJF": true, "GNF": true, "JPY": true,
	"KMF": true, "KRW": true, "MGA": true, "PYG": true, "RWF": true,
	"UGX": true, "VND": true, "VUV": true, "XAF": true, "XOF": true,
	"XPF": true,
}

// threeDecimal lists the currencies with three decimal places.
var threeDecimal = map[string]bool{
	"BHD": true, "JOD": true, "KWD": true, "OMR": true, "TND": true,
}

// currencySymbols are prefixes for the currencies most tenants use. Others
// are written with their code, e.g. "SEK 150.00".
var currencySymbols = map[string]string{
	"USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥", "CNY": "CN¥",
	"INR": "₹", "KRW": "₩", "CAD": "CA$", "AUD": "A$", "NZD": "NZ$",
	"HKD": "HK$", "SGD": "S$", "MXN": "MX$", "BRL": "R$", "ILS": "₪",
	"VND": "₫", "PHP": "₱", "NGN": "₦", "TRY": "₺", "UAH": "₴",
}

// CurrencyDecimals returns how many decimal places the currency's minor
// unit has: 0 for JPY and the like, 3 for KWD and the like, else 2.
func CurrencyDecimals(currency string) int {
	c := strings.ToUpper(strings.TrimSpace(currency))
	switch {
	case zeroDecimal[c]:
		return 0
	case threeDecimal[c]:
		return 3
	}
	return 2
}

// FormatMoney formats an amount in minor units of an ISO 4217 currency (any
// case): FormatMoney(15000, "usd") is "$150.00", FormatMoney(1500, "jpy") is
// "¥1,500", FormatMoney(150000, "sek") is "SEK 1,500.00".
func FormatMoney(minor int64, currency string) string {
	code := strings.ToUpper(strings.TrimSpace(currency))
	dec := CurrencyDecimals(code)

	neg := minor < 0
	// Work in uint64 so that the smallest int64 has a magnitude too.
	abs := uint64(minor)
	if neg {
		abs = -abs
	}
	div := uint64(1)
	for range dec {
		div *= 10
	}
	major, frac := abs/div, abs%div

	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	if sym, ok := currencySymbols[code]; ok {
		b.WriteString(sym)
	} else if code != "" {
		b.WriteString(code)
		b.WriteByte(' ')
	}
	b.WriteString(groupThousands(strconv.FormatUint(major, 10)))
	if dec > 0 {
		f := strconv.FormatUint(frac, 10)
		b.WriteByte('.')
		b.WriteString(strings.Repeat("0", dec-len(f)))
		b.WriteString(f)
	}
	return b.String()
}

// groupThousands puts a comma between groups of three digits.
func groupThousands(digits string) string {
	if len(digits) <= 3 {
		return digits
	}
	var b strings.Builder
	first := len(digits) % 3
	if first > 0 {
		b.WriteString(digits[:first])
	}
	for i := first; i < len(digits); i += 3 {
		if b.Len() > 0 {
			b.WriteByte(',')
		}
		b.WriteString(digits[i : i+3])
	}
	return b.String()
}
