package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/frontdeskhq/frontdesk"
	"github.com/frontdeskhq/frontdesk/booking"
	"github.com/frontdeskhq/frontdesk/business"
	"github.com/frontdeskhq/frontdesk/dashboard"
)

func cmdTenant(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	sub := ""
	if len(args) > 0 {
		sub = args[0]
	}
	switch sub {
	case "create":
		return cmdTenantCreate(ctx, args[1:], getenv, stdout)
	case "apply":
		return cmdTenantApply(ctx, args[1:], getenv, stdout)
	case "list":
		return cmdTenantList(ctx, args[1:], getenv, stdout)
	case "rotate-key":
		return cmdTenantRotateKey(ctx, args[1:], getenv, stdout)
	case "login-link":
		return cmdTenantLoginLink(ctx, args[1:], getenv, stdout)
	case "-h", "-help", "--help", "help":
		return help(flag.NewFlagSet("tenant", flag.ContinueOnError))
	}
	return usageError{"the tenant command has the subcommands create, apply, list, rotate-key and login-link"}
}

func cmdTenantCreate(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	fs := flag.NewFlagSet("tenant create", flag.ContinueOnError)
	name := fs.String("name", "", "business name")
	email := fs.String("email", "", "contact email")
	tz := fs.String("timezone", "UTC", "IANA time zone")
	currency := fs.String("currency", "usd", "ISO 4217 currency")
	origins := fs.String("origins", "", "comma-separated sites allowed to embed the widget, e.g. https://example.com")
	asJSON := fs.Bool("json", false, "print JSON")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if strings.TrimSpace(*name) == "" || strings.TrimSpace(*email) == "" {
		return usageError{"--name and --email are required"}
	}
	if !booking.ValidEmail(*email) {
		return usageError{fmt.Sprintf("--email %q is not an email address", *email)}
	}
	if !business.ValidTimeZone(*tz) {
		return usageError{fmt.Sprintf("--timezone %q is not an IANA time zone such as Europe/Berlin", *tz)}
	}
	if !business.ValidCurrency(*currency) {
		return usageError{fmt.Sprintf("--currency %q is not an ISO 4217 currency code such as usd or eur", *currency)}
	}
	var allowed []string
	for _, o := range strings.Split(*origins, ",") {
		if o = strings.TrimSpace(o); o == "" {
			continue
		}
		n, ok := business.NormalizeOrigin(o)
		if !ok {
			return usageError{fmt.Sprintf("--origins: %q is not a site origin such as https://example.com", o)}
		}
		allowed = append(allowed, n)
	}
	_, store, err := openStore(ctx, getenv)
	if err != nil {
		return err
	}
	defer store.Close()
	pk, sk := frontdesk.NewTenantKeys()
	t := &frontdesk.Tenant{ID: frontdesk.NewID(), Name: strings.TrimSpace(*name), Slug: business.Slugify(*name) + "-" + frontdesk.NewID()[:6],
		ContactEmail: *email, TimeZone: *tz, Currency: strings.ToLower(*currency), PublicKey: pk,
		SecretKeyHash: frontdesk.HashSecretKey(sk), AllowedOrigins: allowed, Settings: frontdesk.DefaultSettings(), CreatedAt: time.Now().UTC()}
	if err := store.CreateTenant(ctx, t); err != nil {
		return err
	}
	out := map[string]string{"tenantId": t.ID, "publicKey": pk, "secretKey": sk}
	if *asJSON {
		return writeJSON(stdout, out)
	}
	fmt.Fprintf(stdout, "tenant %s\npublishable key %s\nsecret key %s (shown once)\n", t.ID, pk, sk)
	return nil
}

func cmdTenantApply(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	fs := flag.NewFlagSet("tenant apply", flag.ContinueOnError)
	file := fs.String("file", "", "the business file, YAML or JSON (- reads standard input)")
	asJSON := fs.Bool("json", false, "print JSON")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *file == "" {
		return usageError{"--file is required: the business file to apply"}
	}
	var data []byte
	var err error
	if *file == "-" {
		data, err = io.ReadAll(io.LimitReader(os.Stdin, 4<<20))
	} else {
		data, err = os.ReadFile(*file)
	}
	if err != nil {
		return fmt.Errorf("cannot read the business file: %w", err)
	}
	f, err := business.ParseFile(data)
	if err != nil {
		return fileError(*file, err)
	}
	cfg, store, err := openStore(ctx, getenv)
	if err != nil {
		return err
	}
	defer store.Close()
	biz := &business.Service{Store: store, Clock: frontdesk.SystemClock, PublicURL: cfg.PublicURL}
	res, err := biz.Apply(ctx, f, business.ApplyOptions{})
	if err != nil {
		return fileError(*file, err)
	}
	if *asJSON {
		return writeJSON(stdout, res)
	}
	switch {
	case res.Created:
		fmt.Fprintf(stdout, "created business %s (tenant %s)\npublishable key %s\nsecret key %s (shown once)\n", res.Slug, res.TenantID, res.PublicKey, res.SecretKey)
	case len(res.Changes) == 0:
		fmt.Fprintf(stdout, "business %s already matches %s; nothing changed\n", res.Slug, *file)
	default:
		fmt.Fprintf(stdout, "updated business %s (tenant %s):\n", res.Slug, res.TenantID)
	}
	if !res.Created {
		for _, c := range res.Changes {
			fmt.Fprintf(stdout, "  %s\n", c)
		}
	}
	return nil
}

// fileError writes a business file's errors one per line, by path.
func fileError(file string, err error) error {
	var fe *frontdesk.Error
	if !errors.As(err, &fe) || fe.Code == frontdesk.EInternal {
		return err
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s was not applied; nothing changed.", file)
	if len(fe.Details) == 0 {
		fmt.Fprintf(&b, "\n  %s", fe.Message)
	}
	for _, d := range fe.Details {
		fmt.Fprintf(&b, "\n  %s: %s", d.Field, d.Message)
	}
	return errors.New(b.String())
}

func cmdTenantList(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	fs := flag.NewFlagSet("tenant list", flag.ContinueOnError)
	asJSON := fs.Bool("json", false, "print JSON")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	_, store, err := openStore(ctx, getenv)
	if err != nil {
		return err
	}
	defer store.Close()
	ts, err := store.ListTenants(ctx)
	if err != nil {
		return err
	}
	type row struct {
		TenantID     string    `json:"tenantId"`
		Slug         string    `json:"slug"`
		Name         string    `json:"name"`
		ContactEmail string    `json:"contactEmail"`
		PublicKey    string    `json:"publicKey"`
		CreatedAt    time.Time `json:"createdAt"`
	}
	rows := []row{}
	for _, t := range ts {
		rows = append(rows, row{t.ID, t.Slug, t.Name, t.ContactEmail, t.PublicKey, t.CreatedAt})
	}
	if *asJSON {
		return writeJSON(stdout, rows)
	}
	for _, r := range rows {
		fmt.Fprintf(stdout, "%s  %-30s  %s  <%s>\n", r.TenantID, r.Slug, r.Name, r.ContactEmail)
	}
	if len(rows) == 0 {
		fmt.Fprintln(stdout, "no tenants yet: create one with `frontdesk tenant apply --file business.yaml`")
	}
	return nil
}

func cmdTenantRotateKey(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	fs := flag.NewFlagSet("tenant rotate-key", flag.ContinueOnError)
	ref := fs.String("tenant", "", "the tenant's id or slug")
	key := fs.String("key", "secret", "which key: secret, publishable or calendar")
	asJSON := fs.Bool("json", false, "print JSON")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *ref == "" {
		return usageError{"--tenant is required: the tenant's id or slug (see frontdesk tenant list)"}
	}
	kind, ok := business.ParseKeyKind(*key)
	if !ok {
		return usageError{fmt.Sprintf("--key %q: use secret, publishable or calendar", *key)}
	}
	cfg, store, err := openStore(ctx, getenv)
	if err != nil {
		return err
	}
	defer store.Close()
	t, err := findTenant(ctx, store, *ref)
	if err != nil {
		return err
	}
	biz := &business.Service{Store: store, Clock: frontdesk.SystemClock, PublicURL: cfg.PublicURL}
	v, err := biz.RotateKey(ctx, t, kind)
	if err != nil {
		return err
	}
	if *asJSON {
		return writeJSON(stdout, map[string]string{"tenantId": t.ID, "key": string(kind), "value": v})
	}
	fmt.Fprintf(stdout, "new %s key of %s (the old one no longer works): %s\n", kind, t.Slug, v)
	return nil
}

// findTenant finds a tenant by id or slug, for the operator's commands.
func findTenant(ctx context.Context, store frontdesk.Store, ref string) (*frontdesk.Tenant, error) {
	t, err := store.TenantByID(ctx, ref)
	if frontdesk.IsCode(err, frontdesk.ENotFound) {
		t, err = store.TenantBySlug(ctx, ref)
	}
	if frontdesk.IsCode(err, frontdesk.ENotFound) {
		return nil, fmt.Errorf("no tenant has the id or slug %q; see frontdesk tenant list", ref)
	}
	return t, err
}

func cmdTenantLoginLink(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	fs := flag.NewFlagSet("tenant login-link", flag.ContinueOnError)
	ref := fs.String("tenant", "", "the tenant's id or slug")
	email := fs.String("email", "", "who signs in (default: the contact email)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *ref == "" {
		return usageError{"--tenant is required: the tenant's id or slug (see frontdesk tenant list)"}
	}
	cfg, store, err := openStore(ctx, getenv)
	if err != nil {
		return err
	}
	defer store.Close()
	t, err := findTenant(ctx, store, *ref)
	if err != nil {
		return err
	}
	who := *email
	if who == "" {
		who = t.ContactEmail
	}
	if !dashboard.AllowedEmail(t, who) {
		return fmt.Errorf("%s may not sign in to %s: use its contact email or add the address to settings.dashboardEmails", who, t.Slug)
	}
	link, err := dashboard.NewLoginLink(ctx, store, cfg.PublicURL, t, who, "", time.Now().UTC())
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%s\n", link)
	return nil
}
