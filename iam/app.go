package iam

import (
	"net/url"
	"regexp"
	"slices"
	"strings"
	"time"
)

// Grant types an app may use.
const (
	GrantAuthorizationCode = "authorization_code"
	GrantRefreshToken      = "refresh_token"
	GrantClientCredentials = "client_credentials"
	GrantPassword          = "password"
)

var knownGrants = []string{GrantAuthorizationCode, GrantRefreshToken, GrantClientCredentials, GrantPassword}

// App is an OAuth 2.0 client: document 000's appName, 001's apps and 002's
// auth-clients. ClientID is unique per realm; Num is a numeric id unique
// across the server. A confidential app has a SecretHash; a public app has
// none and may not use client_credentials.
type App struct {
	ID           string
	Num          int64
	RealmID      string
	ClientID     string
	Name         string
	Description  string
	Public       bool
	SecretHash   string
	RedirectURIs []string
	GrantTypes   []string
	Scopes       []string
	Enabled      bool
	AccessTTL    time.Duration // 0: realm default
	RefreshTTL   time.Duration // 0: realm default
	Attributes   map[string]string
	CreatedAt    time.Time
	UpdatedAt    time.Time
	DeletedAt    *time.Time
}

// AllowsGrant reports whether the app may use grant type g.
func (a *App) AllowsGrant(g string) bool { return slices.Contains(a.GrantTypes, g) }

var clientIDPattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._:@-]{0,127}$`)

// ValidateApp checks an app's identifying fields, grant types and redirect
// URIs. It returns an *Error naming the bad field.
func ValidateApp(a *App) error {
	if !clientIDPattern.MatchString(a.ClientID) {
		return Invalid("clientId", "client id must be 1-128 letters, digits or . _ : @ -, starting with a letter or digit")
	}
	if err := checkText("name", a.Name, 255); err != nil {
		return err
	}
	for _, g := range a.GrantTypes {
		if !slices.Contains(knownGrants, g) {
			return Invalid("grantTypes", "unknown grant type %q (known: %s)", truncate(g, 40), strings.Join(knownGrants, ", "))
		}
	}
	if a.Public && a.AllowsGrant(GrantClientCredentials) {
		return Invalid("grantTypes", "a public app cannot use client_credentials")
	}
	for _, r := range a.RedirectURIs {
		u, err := url.Parse(r)
		if err != nil || u.Scheme == "" || u.Fragment != "" || len(r) > 2000 {
			return Invalid("redirectUris", "redirect uri %q must be an absolute URI without a fragment", truncate(r, 80))
		}
		if (u.Scheme == "http" || u.Scheme == "https") && u.Host == "" {
			return Invalid("redirectUris", "redirect uri %q has no host", truncate(r, 80))
		}
	}
	if a.AccessTTL < 0 || a.RefreshTTL < 0 {
		return Invalid("lifetimes", "token lifetimes cannot be negative")
	}
	return nil
}
