package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"iamd/directory"
)

type flagSet = flag.FlagSet

// flagError turns a flag parsing failure into a usage error; -h stays help.
func flagError(err error) error {
	if errors.Is(err, flag.ErrHelp) {
		return err
	}
	return usageErrorf("%v", err)
}

// multi is a repeatable string flag.
type multi []string

func (m *multi) String() string     { return strings.Join(*m, ",") }
func (m *multi) Set(v string) error { *m = append(*m, v); return nil }

func printJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

func migrate(ctx context.Context, args, env []string, stdout, stderr io.Writer) error {
	a, rest, err := loadAndOpen(ctx, "migrate", args, env, stderr, nil)
	if err != nil {
		return err
	}
	defer a.store.Close()
	if len(rest) > 0 {
		return usageErrorf("migrate: unexpected argument %q", rest[0])
	}
	if err := a.store.Migrate(ctx); err != nil {
		return err
	}
	fmt.Fprintln(stdout, "database schema is up to date")
	return nil
}

// positional splits a leading NAME off args, so that "realm create acme
// --display-name Acme" works although Go flags stop at the first non-flag.
func positional(args []string) (string, []string) {
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		return args[0], args[1:]
	}
	return "", args
}

func realmCreate(ctx context.Context, args, env []string, stdout, stderr io.Writer) error {
	name, args := positional(args)
	var display string
	a, rest, err := loadAndOpen(ctx, "realm create", args, env, stderr, func(fs *flagSet) {
		fs.StringVar(&display, "display-name", "", "human-readable realm name")
	})
	if err != nil {
		return err
	}
	defer a.store.Close()
	if name == "" && len(rest) == 1 {
		name, rest = rest[0], nil
	}
	if name == "" || len(rest) > 0 {
		return usageErrorf("realm create: exactly one realm NAME is required")
	}
	r, err := a.directory.CreateRealm(ctx, name, display)
	if err != nil {
		return err
	}
	return printJSON(stdout, map[string]any{"id": r.ID, "name": r.Name, "displayName": r.DisplayName, "enabled": r.Enabled})
}

func userCreate(ctx context.Context, args, env []string, stdout, stderr io.Writer) error {
	var realm string
	var in directory.NewUser
	var roles multi
	a, rest, err := loadAndOpen(ctx, "user create", args, env, stderr, func(fs *flagSet) {
		fs.StringVar(&realm, "realm", "", "realm name (required)")
		fs.StringVar(&in.Username, "username", "", "username (required)")
		fs.StringVar(&in.Password, "password", "", "initial password (omit for a user without one)")
		fs.StringVar(&in.Email, "email", "", "e-mail address")
		fs.StringVar(&in.Phone, "phone", "", "phone number, international format (+49…)")
		fs.StringVar(&in.FirstName, "first-name", "", "first name")
		fs.StringVar(&in.LastName, "last-name", "", "last name")
		fs.BoolVar(&in.EmailVerified, "email-verified", false, "mark the e-mail as verified")
		fs.Var(&roles, "role", "realm role to grant (repeatable)")
	})
	if err != nil {
		return err
	}
	defer a.store.Close()
	if len(rest) > 0 {
		return usageErrorf("user create: unexpected argument %q", rest[0])
	}
	if realm == "" || in.Username == "" {
		return usageErrorf("user create: --realm and --username are required")
	}
	r, err := a.directory.RealmByName(ctx, realm)
	if err != nil {
		return err
	}
	in.RealmRoles = roles
	in.Profile.Source = "admin"
	u, err := a.directory.CreateUser(ctx, r, in, "")
	if err != nil {
		return err
	}
	return printJSON(stdout, map[string]any{
		"id": u.ID, "numericId": u.Num, "realm": r.Name, "username": u.Username,
		"email": u.Email, "phone": u.Phone, "enabled": u.Enabled, "roles": in.RealmRoles,
	})
}

func userUnlock(ctx context.Context, args, env []string, stdout, stderr io.Writer) error {
	var realm, username string
	a, rest, err := loadAndOpen(ctx, "user unlock", args, env, stderr, func(fs *flagSet) {
		fs.StringVar(&realm, "realm", "", "realm name (required)")
		fs.StringVar(&username, "username", "", "username, e-mail or phone (required)")
	})
	if err != nil {
		return err
	}
	defer a.store.Close()
	if len(rest) > 0 || realm == "" || username == "" {
		return usageErrorf("user unlock: --realm and --username are required")
	}
	r, err := a.directory.RealmByName(ctx, realm)
	if err != nil {
		return err
	}
	u, err := a.directory.FindUser(ctx, r, username)
	if err != nil {
		return err
	}
	if err := a.directory.UnlockUser(ctx, r, u.ID, ""); err != nil {
		return err
	}
	return printJSON(stdout, map[string]any{"id": u.ID, "username": u.Username, "locked": false})
}

func appCreate(ctx context.Context, args, env []string, stdout, stderr io.Writer) error {
	var realm, grants string
	var in directory.NewApp
	var redirects multi
	a, rest, err := loadAndOpen(ctx, "app create", args, env, stderr, func(fs *flagSet) {
		fs.StringVar(&realm, "realm", "", "realm name (required)")
		fs.StringVar(&in.ClientID, "client-id", "", "client id (required)")
		fs.StringVar(&in.Name, "name", "", "display name")
		fs.StringVar(&in.Secret, "secret", "", "client secret (confidential apps; generated when omitted)")
		fs.BoolVar(&in.Public, "public", false, "a public app (no secret: browser, mobile, CLI)")
		fs.StringVar(&grants, "grant-types", "", "comma-separated: authorization_code,refresh_token,client_credentials,password")
		fs.Var(&redirects, "redirect-uri", "allowed redirect URI (repeatable)")
	})
	if err != nil {
		return err
	}
	defer a.store.Close()
	if len(rest) > 0 {
		return usageErrorf("app create: unexpected argument %q", rest[0])
	}
	if realm == "" || in.ClientID == "" {
		return usageErrorf("app create: --realm and --client-id are required")
	}
	for _, g := range strings.Split(grants, ",") {
		if g = strings.TrimSpace(g); g != "" {
			in.GrantTypes = append(in.GrantTypes, g)
		}
	}
	in.RedirectURIs = redirects
	r, err := a.directory.RealmByName(ctx, realm)
	if err != nil {
		return err
	}
	app, secret, err := a.directory.CreateApp(ctx, r, in, "")
	if err != nil {
		return err
	}
	out := map[string]any{
		"id": app.ID, "numericId": app.Num, "realm": r.Name, "clientId": app.ClientID,
		"public": app.Public, "grantTypes": app.GrantTypes, "redirectUris": nonNil(app.RedirectURIs),
	}
	if secret != "" {
		out["secret"] = secret // shown this once; only its hash is stored
	}
	return printJSON(stdout, out)
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
