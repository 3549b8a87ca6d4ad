package dashboard

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/frontdeskhq/frontdesk"
	"github.com/frontdeskhq/frontdesk/business"
	"github.com/frontdeskhq/frontdesk/mail"
)

// catServiceRow is one service of the list.
type catServiceRow struct {
	ID, Name, Slug, Category string
	Type, Length, Price      string
	Active                   bool
	First, Last              bool
}

type catServicesView struct {
	Services []catServiceRow
}

// catTypeText says how a service is booked.
func catTypeText(p *frontdesk.Package) string {
	if p.BookingType == frontdesk.BookingDate {
		return "Whole day"
	}
	return "Time slot"
}

// catPriceWords writes a service's price, "Free" when it costs nothing.
func catPriceWords(p *frontdesk.Package) string {
	if p.PriceCents == 0 {
		return "Free"
	}
	return mail.FormatMoney(p.PriceCents, p.Currency)
}

// catLengthText says how long a service takes.
func catLengthText(p *frontdesk.Package) string {
	if p.BookingType == frontdesk.BookingDate {
		return "The whole day"
	}
	s := fmt.Sprintf("%d min", p.DurationMinutes)
	if p.BufferMinutes > 0 {
		s += fmt.Sprintf(", then %d min free", p.BufferMinutes)
	}
	return s
}

// catServices lists the services in the order customers see them.
func (s *Server) catServices(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	pkgs, err := s.Store.ListPackages(r.Context(), c.Tenant.ID, false)
	if err != nil {
		s.fail(w, r, c, err)
		return
	}
	v := catServicesView{}
	for i, p := range pkgs {
		v.Services = append(v.Services, catServiceRow{ID: p.ID, Name: p.Name, Slug: p.Slug, Category: p.Category,
			Type: catTypeText(p), Length: catLengthText(p), Price: catPriceWords(p),
			Active: p.Active, First: i == 0, Last: i == len(pkgs)-1})
	}
	s.render(w, r, c, http.StatusOK, "services", "Services", "services", v)
}

// catServiceFormView is the form of a new or an existing service.
type catServiceFormView struct {
	Form     *form
	Editing  bool
	ID       string
	Name     string // the stored name, for the heading
	Currency string // upper case, e.g. USD
	Example  string // a price as the owner would type it, e.g. 150.00
	Base     string
}

func (s *Server) catServiceFormView(t *frontdesk.Tenant, f *form, p *frontdesk.Package) catServiceFormView {
	v := catServiceFormView{Form: f, Currency: strings.ToUpper(t.Currency), Example: catPriceText(150*catPow10(mail.CurrencyDecimals(t.Currency)), t.Currency)}
	if p != nil {
		v.Editing, v.ID, v.Name, v.Base = true, p.ID, p.Name, catBase(catServiceItems(p))
	}
	return v
}

// catServiceValues fills a form with a stored service.
func catServiceValues(p *frontdesk.Package) url.Values {
	v := url.Values{}
	v.Set("name", p.Name)
	v.Set("slug", p.Slug)
	v.Set("description", p.Description)
	v.Set("price", catPriceText(p.PriceCents, p.Currency))
	v.Set("bookingType", string(p.BookingType))
	if p.BookingType == frontdesk.BookingTimeslot {
		v.Set("duration", strconv.Itoa(p.DurationMinutes))
		v.Set("buffer", strconv.Itoa(p.BufferMinutes))
	}
	v.Set("category", p.Category)
	if p.Active {
		v.Set("active", "on")
	}
	return v
}

// catServiceItems is what the edit form shows, to tell a later save what
// changed meanwhile.
func catServiceItems(p *frontdesk.Package) []catItem {
	active := "offered to customers"
	if !p.Active {
		active = "not offered"
	}
	return []catItem{{"The name", p.Name}, {"The short name", p.Slug}, {"The description", p.Description},
		{"The price", mail.FormatMoney(p.PriceCents, p.Currency)}, {"The booking type", catTypeText(p)},
		{"The length", catLengthText(p)}, {"The category", p.Category}, {"The service", active}}
}

// catServiceField names the input and label of a field of PackageInput.
func catServiceField(api, _ string) (string, string) {
	switch api {
	case "name":
		return "name", "the name"
	case "slug":
		return "slug", "the short name"
	case "description":
		return "description", "the description"
	case "priceCents":
		return "price", "the price"
	case "bookingType":
		return "bookingType", "the booking type"
	case "durationMinutes":
		return "duration", "the length"
	case "bufferMinutes":
		return "buffer", "the free time after"
	case "category":
		return "category", "the category"
	}
	return "", api
}

// catServiceNew shows the form of a new service.
func (s *Server) catServiceNew(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	f := newForm(url.Values{"bookingType": {string(frontdesk.BookingTimeslot)}, "duration": {"60"}, "buffer": {"0"}, "active": {"on"}})
	s.render(w, r, c, http.StatusOK, "services_form", "New service", "services", s.catServiceFormView(c.Tenant, f, nil))
}

// catServiceInput reads the form into the domain's input; errors of what
// cannot even be read (a price that is no amount) go on the form.
func catServiceInput(f *form, t *frontdesk.Tenant, creating bool) business.PackageInput {
	var in business.PackageInput
	name := strings.TrimSpace(f.Get("name"))
	in.Name = &name
	if slug := strings.TrimSpace(f.Get("slug")); slug != "" {
		in.Slug = &slug
	} else if !creating {
		slug = business.Slugify(name)
		in.Slug = &slug
	}
	desc := catText(f.Get("description"))
	in.Description = &desc
	// What the form cannot read is sent as what the domain refuses (no
	// price for a new service, a negative one, no length), so that nothing
	// is saved and the domain still checks every other field at once.
	refused := int64(-1)
	if cents, msg := catParsePrice(f.Get("price"), t.Currency); msg != "" {
		f.Errors["price"] = msg
		if !creating {
			in.PriceCents = &refused
		}
	} else {
		in.PriceCents = &cents
	}
	if bt := f.Get("bookingType"); bt != "" {
		in.BookingType = &bt
	}
	if strings.EqualFold(f.Get("bookingType"), string(frontdesk.BookingTimeslot)) {
		d, ok := catMinutes(f, "duration", "the length", true)
		if !ok {
			d = 0
		}
		in.DurationMinutes = &d
		b, ok := catMinutes(f, "buffer", "the free time after", false)
		if !ok {
			b = -1
		}
		in.BufferMinutes = &b
	}
	active := f.Get("active") != ""
	in.Active = &active
	cat := strings.TrimSpace(f.Get("category"))
	in.Category = &cat
	return in
}

// catMinutes reads a number of minutes; an empty optional field is 0.
func catMinutes(f *form, name, label string, required bool) (int, bool) {
	v := strings.TrimSpace(f.Get(name))
	if v == "" {
		if required {
			f.Errors[name] = catSentence(label, "is required for a time-slot service: the number of minutes, e.g. 60")
			return 0, false
		}
		return 0, true
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		f.Errors[name] = catSentence(label, "must be a whole number of minutes, e.g. 60")
		return 0, false
	}
	return n, true
}

// catServiceCreate adds a service, last in the order.
func (s *Server) catServiceCreate(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	f := newForm(r.PostForm)
	in := catServiceInput(f, c.Tenant, true)
	again := func(status int) {
		s.render(w, r, c, status, "services_form", "New service", "services", s.catServiceFormView(c.Tenant, f, nil))
	}
	pkgs, err := s.Store.ListPackages(r.Context(), c.Tenant.ID, false)
	if err != nil {
		s.fail(w, r, c, err)
		return
	}
	pos := 0
	for _, p := range pkgs {
		pos = max(pos, p.Position+1)
	}
	pos = min(pos, 10_000)
	in.Position = &pos
	p, err := s.Business.CreatePackage(r.Context(), c.Tenant, in)
	if err == nil && len(f.Errors) > 0 {
		err = catUnread(f)
	}
	if err != nil {
		if !catOnForm(err) {
			s.fail(w, r, c, err)
			return
		}
		catFail(f, err, catServiceField)
		again(http.StatusBadRequest)
		return
	}
	msg := "Added " + p.Name + "."
	if !p.Active {
		msg += " It is not offered to customers until you make it active."
	}
	s.done(w, r, Prefix+"/services", msg)
}

// catServiceShow sends a service's address to its form.
func (s *Server) catServiceShow(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	p, err := s.Business.Package(r.Context(), c.Tenant, r.PathValue("id"))
	if err != nil {
		s.fail(w, r, c, err)
		return
	}
	http.Redirect(w, r, Prefix+"/services/"+url.PathEscape(p.ID)+"/edit", http.StatusSeeOther)
}

// catServiceEdit shows the form of a service.
func (s *Server) catServiceEdit(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	p, err := s.Business.Package(r.Context(), c.Tenant, r.PathValue("id"))
	if err != nil {
		s.fail(w, r, c, err)
		return
	}
	f := newForm(catServiceValues(p))
	s.render(w, r, c, http.StatusOK, "services_form", "Edit "+p.Name, "services", s.catServiceFormView(c.Tenant, f, p))
}

// catServiceUpdate saves a service, unless it changed since the form was drawn.
func (s *Server) catServiceUpdate(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	p, err := s.Business.Package(r.Context(), c.Tenant, r.PathValue("id"))
	if err != nil {
		s.fail(w, r, c, err)
		return
	}
	f := newForm(r.PostForm)
	again := func(status int) {
		s.render(w, r, c, status, "services_form", "Edit "+p.Name, "services", s.catServiceFormView(c.Tenant, f, p))
	}
	if changes := catChanges(f.Get("base"), catServiceItems(p)); len(changes) > 0 {
		f.Alert = catStaleAlert("this service", changes)
		again(http.StatusConflict)
		return
	}
	in := catServiceInput(f, c.Tenant, false)
	n, err := s.Business.UpdatePackage(r.Context(), c.Tenant, p.ID, in)
	if err == nil && len(f.Errors) > 0 {
		err = catUnread(f)
	}
	if err != nil {
		if !catOnForm(err) {
			s.fail(w, r, c, err)
			return
		}
		catFail(f, err, catServiceField)
		again(http.StatusBadRequest)
		return
	}
	s.done(w, r, Prefix+"/services", "Saved "+n.Name+".")
}

type catServiceDeleteView struct {
	ID, Name    string
	HasBookings bool
}

// catServiceDeleteAsk asks before deleting a service, saying whether it
// will be archived instead.
func (s *Server) catServiceDeleteAsk(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	p, err := s.Business.Package(r.Context(), c.Tenant, r.PathValue("id"))
	if err != nil {
		s.fail(w, r, c, err)
		return
	}
	used, err := s.Store.PackageHasBookings(r.Context(), c.Tenant.ID, p.ID)
	if err != nil {
		s.fail(w, r, c, err)
		return
	}
	s.render(w, r, c, http.StatusOK, "services_delete", "Delete "+p.Name, "services", catServiceDeleteView{ID: p.ID, Name: p.Name, HasBookings: used})
}

// catServiceDelete deletes a service, or archives it when it has bookings.
func (s *Server) catServiceDelete(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	p, err := s.Business.Package(r.Context(), c.Tenant, r.PathValue("id"))
	if err != nil {
		s.fail(w, r, c, err)
		return
	}
	archived, err := s.Business.DeletePackage(r.Context(), c.Tenant, p.ID)
	if err != nil {
		s.fail(w, r, c, err)
		return
	}
	if archived {
		s.done(w, r, Prefix+"/services", "Archived "+p.Name+": it has bookings, so it was kept for them, but it is no longer listed or bookable.")
		return
	}
	s.done(w, r, Prefix+"/services", "Deleted "+p.Name+".")
}

// catServiceMove moves a service one place up or down the order: the
// services are numbered again in their new order, so equal positions
// (services never ordered by hand) move too.
func (s *Server) catServiceMove(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	dir := r.URL.Query().Get("dir")
	if dir == "" {
		dir = r.PostForm.Get("dir")
	}
	pkgs, err := s.Store.ListPackages(r.Context(), c.Tenant.ID, false)
	if err != nil {
		s.fail(w, r, c, err)
		return
	}
	id := r.PathValue("id")
	at := -1
	for i, p := range pkgs {
		if p.ID == id {
			at = i
		}
	}
	if at < 0 {
		s.fail(w, r, c, frontdesk.NotFound("The service"))
		return
	}
	back := Prefix + "/services#service-" + id
	to := at - 1
	switch dir {
	case "up":
	case "down":
		to = at + 1
	default:
		s.setFlash(w, "Choose to move the service up or down.", true)
		http.Redirect(w, r, back, http.StatusSeeOther)
		return
	}
	name := pkgs[at].Name
	if to < 0 || to >= len(pkgs) {
		where := "first"
		if dir == "down" {
			where = "last"
		}
		s.done(w, r, back, name+" is already "+where+".")
		return
	}
	pkgs[at], pkgs[to] = pkgs[to], pkgs[at]
	for i, p := range pkgs {
		if p.Position == i {
			continue
		}
		pos := i
		if _, err := s.Business.UpdatePackage(r.Context(), c.Tenant, p.ID, business.PackageInput{Position: &pos}); err != nil {
			s.fail(w, r, c, err)
			return
		}
	}
	s.done(w, r, back, "Moved "+name+" "+dir+".")
}

// catPow10 is 10ⁿ.
func catPow10(n int) int64 {
	p := int64(1)
	for range n {
		p *= 10
	}
	return p
}

// catPriceText writes minor units as the owner types a price: "150.00"
// (no symbol, no grouping), "1500" in a currency without decimals.
func catPriceText(cents int64, currency string) string {
	dec := mail.CurrencyDecimals(currency)
	if dec == 0 {
		return strconv.FormatInt(cents, 10)
	}
	div := catPow10(dec)
	sign := ""
	if cents < 0 {
		sign, cents = "-", -cents
	}
	return fmt.Sprintf("%s%d.%0*d", sign, cents/div, dec, cents%div)
}

// catParsePrice reads a price the owner typed in the currency's major unit
// ("150", "150.00", "1,500.50", "1.500,50", "$150") as minor units. It
// refuses what it would have to guess: a single separator followed by three
// digits ("1,500": 1500 or 1.5?) in a currency with two decimals, more
// decimals than the currency has, anything but digits and separators. The
// message says how to write it instead.
func catParsePrice(in, currency string) (int64, string) {
	dec := mail.CurrencyDecimals(currency)
	example := catPriceText(150*catPow10(dec), currency)
	code := strings.ToUpper(currency)
	bad := func(why string) (int64, string) {
		return 0, "The price " + why + " Write it like " + example + " (in " + code + "), or 0 for a free service."
	}
	s := strings.NewReplacer(" ", "", "\u00a0", "", "\u202f", "", "\t", "").Replace(in)
	if s == "" {
		return bad("is required.")
	}
	// A symbol or the code, before or after: "$150", "150 €", "USD 150".
	sym := strings.TrimSpace(strings.TrimRight(mail.FormatMoney(0, currency), "0.,"))
	for _, cut := range []string{code, strings.ToLower(code), sym} {
		if cut == "" {
			continue
		}
		s = strings.TrimSuffix(strings.TrimPrefix(s, cut), cut)
	}
	if strings.HasPrefix(s, "-") {
		return bad("cannot be negative.")
	}
	if strings.Trim(s, "0123456789.,") != "" || !strings.ContainsAny(s, "0123456789") {
		return bad("is not an amount.")
	}
	intPart, frac := s, ""
	if last := strings.LastIndexAny(s, ".,"); last >= 0 {
		sep := s[last]
		other := byte(',')
		if sep == ',' {
			other = '.'
		}
		head, tail := s[:last], s[last+1:]
		switch {
		case strings.IndexByte(head, sep) >= 0:
			// The same mark several times groups thousands: "1,500,000".
			if strings.IndexByte(head, other) >= 0 || !catGrouped(s, sep) {
				return bad("is not an amount.")
			}
			intPart = strings.ReplaceAll(s, string(sep), "")
		case strings.IndexByte(head, other) >= 0:
			// Both marks: the last one is the decimal point, "1,500.50".
			if !catGrouped(head, other) {
				return bad("is not an amount.")
			}
			intPart, frac = strings.ReplaceAll(head, string(other), ""), tail
		case len(tail) == 3 && dec == 0:
			intPart = head + tail // "1.500" yen: a thousands mark
		case len(tail) == 3 && dec != 3:
			return bad("“" + strings.TrimSpace(in) + "” is unclear (thousands or decimals?).")
		default:
			intPart, frac = head, tail
		}
	}
	if intPart == "" {
		intPart = "0"
	}
	if strings.Trim(frac, "0") != "" && len(strings.TrimRight(frac, "0")) > dec {
		return bad(fmt.Sprintf("has more decimals than %s has (%d).", code, dec))
	}
	frac = strings.TrimRight(frac, "0")
	if len(intPart) > 12 {
		return 0, "The price must be at most " + mail.FormatMoney(business.MaxPriceCents, currency) + "."
	}
	whole, err := strconv.ParseInt(intPart, 10, 64)
	if err != nil {
		return bad("is not an amount.")
	}
	var minor int64
	if frac != "" {
		minor, _ = strconv.ParseInt(frac+strings.Repeat("0", dec-len(frac)), 10, 64)
	}
	cents := whole*catPow10(dec) + minor
	if cents > business.MaxPriceCents {
		return 0, "The price must be at most " + mail.FormatMoney(business.MaxPriceCents, currency) + "."
	}
	return cents, ""
}

// catGrouped reports whether s is digits grouped by three with sep:
// "1,500,000".
func catGrouped(s string, sep byte) bool {
	parts := strings.Split(s, string(sep))
	for i, p := range parts {
		if p == "" || strings.Trim(p, "0123456789") != "" || len(p) > 3 || (i > 0 && len(p) != 3) {
			return false
		}
	}
	return true
}
