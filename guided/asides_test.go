package guided

import "testing"

// TestExtractAsides checks the words that set a value aside or say what a
// number or a word is by where it stands: negations, birth dates, street
// addresses, floors, a name before its email, a correction of a
// correction.
func TestExtractAsides(t *testing.T) {
	tests := []struct {
		name string
		text string
		want map[FieldKind]string // kind → value; a booking kind absent must not be found
	}{
		{"born", "portrait on monday at 11am, born 4/12/1990 if you need it",
			map[FieldKind]string{FieldService: "pkg_portrait", FieldDate: "2026-12-14", FieldTime: "11:00"}},
		{"turns", "my daughter turns 16 on saturday, can we do a portrait session on friday at 1pm",
			map[FieldKind]string{FieldService: "pkg_portrait", FieldDate: "2026-12-11", FieldTime: "13:00"}},
		{"street", "I live at 12 Oak St, portrait session monday at 2pm",
			map[FieldKind]string{FieldService: "pkg_portrait", FieldDate: "2026-12-14", FieldTime: "14:00"}},
		{"floor", "we're on the 3rd floor, mini session monday at 3:30pm",
			map[FieldKind]string{FieldService: "pkg_mini", FieldDate: "2026-12-14", FieldTime: "15:30"}},
		{"negated service", "not a wedding, just portraits. monday at 3pm",
			map[FieldKind]string{FieldService: "pkg_portrait", FieldDate: "2026-12-14", FieldTime: "15:00"}},
		{"don't want", "I don't want the wedding package, just a portrait",
			map[FieldKind]string{FieldService: "pkg_portrait"}},
		{"negated alone", "not the wedding", map[FieldKind]string{}},
		{"not about the service", "not sure the mini session is long enough",
			map[FieldKind]string{FieldService: "pkg_mini"}},
		{"negated window", "mini session on monday, not in the afternoon, 10:30am",
			map[FieldKind]string{FieldService: "pkg_mini", FieldDate: "2026-12-14", FieldTime: "10:30"}},
		{"negated date twice", "not on friday the 11th, on monday the 14th",
			map[FieldKind]string{FieldDate: "2026-12-14"}},
		{"no again", "actually make it 2pm. no, 2:30pm", map[FieldKind]string{FieldTime: "14:30"}},
		{"name like a day", "Sunny Monday, sunny@example.com",
			map[FieldKind]string{FieldName: "Sunny Monday", FieldEmail: "sunny@example.com"}},
		{"name like a service", "Rose Wedding, rose.w@example.com",
			map[FieldKind]string{FieldName: "Rose Wedding", FieldEmail: "rose.w@example.com"}},
		{"lower case is no name", "monday morning, sunny@example.com",
			map[FieldKind]string{FieldDate: "2026-12-14", FieldTime: "00:00-11:59", FieldEmail: "sunny@example.com"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ex := Extract(tt.text, extractOpts())
			for _, k := range []FieldKind{FieldService, FieldDate, FieldTime, FieldName, FieldEmail, FieldPhone} {
				f, ok := ex.Get(k)
				want, wantOK := tt.want[k]
				switch {
				case ok != wantOK:
					t.Errorf("%s: found %v (%q), want %v (%q)", k, ok, f.Value, wantOK, want)
				case ok && f.Value != want:
					t.Errorf("%s = %q (%q), want %q", k, f.Value, f.Text, want)
				}
			}
		})
	}
}
