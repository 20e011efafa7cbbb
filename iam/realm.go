package iam

import (
	"regexp"
	"time"
)

// Realm is the isolation unit: its own users, apps, roles, groups,
// organizations, keys, settings and SMTP configuration. A realm is addressed
// by Name in URLs and by ID inside the store.
type Realm struct {
	ID          string
	Name        string
	DisplayName string
	Enabled     bool
	Settings    RealmSettings
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

// RealmSettings are the per-realm knobs. The zero value of each field means
// "the default", so an older stored settings document keeps working when a
// field is added.
type RealmSettings struct {
	Password        PasswordPolicy    `json:"password,omitempty"`
	BruteForce      BruteForcePolicy  `json:"brute_force,omitempty"`
	Tokens          TokenLifetimes    `json:"tokens,omitempty"`
	SMTP            *SMTPSettings     `json:"smtp,omitempty"`
	SMS             *SMSSettings      `json:"sms,omitempty"`
	PhoneRegion     string            `json:"phone_region,omitempty"` // region for numbers written without +, e.g. "DE"
	RiskbitsEnabled bool              `json:"riskbits_enabled,omitempty"`
	Attributes      map[string]string `json:"attributes,omitempty"` // free-form realm and app settings
	// SocialProviders are the upstream identity providers users may sign
	// in through (see SocialProvider).
	SocialProviders []SocialProvider `json:"social_providers,omitempty"`
}

// PasswordPolicy bounds what a new password may be.
type PasswordPolicy struct {
	MinLength    int  `json:"min_length,omitempty"`    // default 8
	MaxLength    int  `json:"max_length,omitempty"`    // default 128
	AllowCommon  bool `json:"allow_common,omitempty"`  // false: the bundled deny-list applies
	HistoryCount int  `json:"history_count,omitempty"` // 0: no history kept
}

// Effective returns the policy with defaults filled in.
func (p PasswordPolicy) Effective() PasswordPolicy {
	if p.MinLength <= 0 {
		p.MinLength = 8
	}
	if p.MaxLength <= 0 {
		p.MaxLength = 128
	}
	return p
}

// BruteForcePolicy says when failed attempts lock a user, and for how long.
type BruteForcePolicy struct {
	Disabled            bool          `json:"disabled,omitempty"`
	MaxPasswordFailures int           `json:"max_password_failures,omitempty"` // default 10
	MaxOTPFailures      int           `json:"max_otp_failures,omitempty"`      // default 5
	LockoutDuration     time.Duration `json:"lockout_duration,omitempty"`      // default 15m; the lock expires by itself
	PermanentLockout    bool          `json:"permanent_lockout,omitempty"`     // only an admin unlocks
	MaxAttemptsPerIP    int           `json:"max_attempts_per_ip,omitempty"`   // per minute, default 60
}

// Effective returns the policy with defaults filled in.
func (p BruteForcePolicy) Effective() BruteForcePolicy {
	if p.MaxPasswordFailures <= 0 {
		p.MaxPasswordFailures = 10
	}
	if p.MaxOTPFailures <= 0 {
		p.MaxOTPFailures = 5
	}
	if p.LockoutDuration <= 0 {
		p.LockoutDuration = 15 * time.Minute
	}
	if p.MaxAttemptsPerIP <= 0 {
		p.MaxAttemptsPerIP = 60
	}
	return p
}

// TokenLifetimes are the realm defaults; an app may override them.
type TokenLifetimes struct {
	AccessToken  time.Duration `json:"access_token,omitempty"`  // default 5m
	RefreshToken time.Duration `json:"refresh_token,omitempty"` // default 30m idle
	Session      time.Duration `json:"session,omitempty"`       // default 10h
	Code         time.Duration `json:"code,omitempty"`          // one-time codes, default 10m
}

// Effective returns the lifetimes with defaults filled in.
func (t TokenLifetimes) Effective() TokenLifetimes {
	if t.AccessToken <= 0 {
		t.AccessToken = 5 * time.Minute
	}
	if t.RefreshToken <= 0 {
		t.RefreshToken = 30 * time.Minute
	}
	if t.Session <= 0 {
		t.Session = 10 * time.Hour
	}
	if t.Code <= 0 {
		t.Code = 10 * time.Minute
	}
	return t
}

// SMTPSettings is a realm's mail server. PasswordEnc is the password sealed
// with the server's master key; it is never stored or logged in clear.
type SMTPSettings struct {
	Host        string `json:"host"`
	Port        int    `json:"port"`
	From        string `json:"from"`
	FromName    string `json:"from_name,omitempty"`
	User        string `json:"user,omitempty"`
	PasswordEnc []byte `json:"password_enc,omitempty"`
	Security    string `json:"security,omitempty"` // "none", "starttls" (default) or "tls"
}

// SMSSettings is a realm's HTTP SMS gateway: iamd POSTs
// {"to","text","purpose"} as JSON to URL with an optional bearer token.
type SMSSettings struct {
	URL      string `json:"url"`
	TokenEnc []byte `json:"token_enc,omitempty"`
	Sender   string `json:"sender,omitempty"`
}

var realmName = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$`)

// ValidateRealmName checks a realm name: 1–64 characters of letters, digits,
// dot, underscore and dash, starting with a letter or digit, so it is safe in
// a URL path and a file name.
func ValidateRealmName(name string) error {
	if !realmName.MatchString(name) {
		return Invalid("name", "realm name must be 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit")
	}
	return nil
}
