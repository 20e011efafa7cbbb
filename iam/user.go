package iam

import (
	"net/mail"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/nyaruka/phonenumbers"
)

// User is a person (or service account) in one realm. ID is a UUID (the id
// of document 001); Num is a numeric id unique across the server (the id of
// document 000). Username, Email and Phone are unique per realm, compared
// case-insensitively; a soft-deleted user frees them.
type User struct {
	ID              string
	Num             int64
	RealmID         string
	Username        string
	Email           string
	Phone           string // E.164, e.g. +4915112345678
	FirstName       string
	LastName        string
	Enabled         bool
	EmailVerified   bool
	PhoneVerified   bool
	Attributes      map[string][]string
	RequiredActions []string
	Profile         Profile
	Addresses       []Address
	Lockout         Lockout
	CreatedAt       time.Time
	UpdatedAt       time.Time
	DeletedAt       *time.Time
	DeleteReason    string
}

// Profile holds the descriptive fields the spec surfaces carry.
type Profile struct {
	Department  string `json:"department,omitempty"`
	Designation string `json:"designation,omitempty"`
	Gender      string `json:"gender,omitempty"`
	PictureURL  string `json:"picture_url,omitempty"`
	Locale      string `json:"locale,omitempty"`
	Source      string `json:"source,omitempty"` // how the user came: "admin", "signup", "social:google", "import"
}

// Address is a postal address of a user.
type Address struct {
	ID                  string `json:"id"`
	ContactName         string `json:"contact_name,omitempty"`
	Address1            string `json:"address1,omitempty"`
	Address2            string `json:"address2,omitempty"`
	City                string `json:"city,omitempty"`
	State               string `json:"state,omitempty"`
	Country             string `json:"country,omitempty"`
	PostalCode          string `json:"postal_code,omitempty"`
	PlaceOfSupply       string `json:"place_of_supply,omitempty"`
	DestinationOfSupply string `json:"destination_of_supply,omitempty"`
	Preferred           bool   `json:"preferred,omitempty"`
}

// Lockout is the brute-force state of a user. Password and OTP failures
// are counted separately; LockedUntil in the future (or Permanent) means no
// sign-in until it passes or an admin unlocks.
type Lockout struct {
	PasswordFailures int        `json:"password_failures,omitempty"`
	OTPFailures      int        `json:"otp_failures,omitempty"`
	LockedUntil      *time.Time `json:"locked_until,omitempty"`
	Permanent        bool       `json:"permanent,omitempty"`
	LastFailureAt    *time.Time `json:"last_failure_at,omitempty"`
	LastFailureIP    string     `json:"last_failure_ip,omitempty"`
}

// Locked reports whether the user may not sign in at now.
func (l Lockout) Locked(now time.Time) bool {
	return l.Permanent || (l.LockedUntil != nil && now.Before(*l.LockedUntil))
}

// Deleted reports whether the user is soft-deleted.
func (u *User) Deleted() bool { return u.DeletedAt != nil }

// Required actions a user must complete at next sign-in (Keycloak names).
const (
	ActionVerifyEmail    = "VERIFY_EMAIL"
	ActionUpdatePassword = "UPDATE_PASSWORD"
	ActionConfigureTOTP  = "CONFIGURE_TOTP"
	ActionUpdateProfile  = "UPDATE_PROFILE"
)

// NormalizeUser trims and checks the identifying fields of u in place:
// a username is required (1–255 runes, no control characters), an e-mail must
// parse, a phone is normalised to E.164 using region for numbers without a
// leading +. It returns an *Error naming the bad field.
func NormalizeUser(u *User, region string) error {
	u.Username = strings.TrimSpace(u.Username)
	u.Email = strings.TrimSpace(u.Email)
	u.Phone = strings.TrimSpace(u.Phone)
	if u.Username == "" {
		return Invalid("username", "username is required")
	}
	if err := checkText("username", u.Username, 255); err != nil {
		return err
	}
	if u.Email != "" {
		email, err := NormalizeEmail(u.Email)
		if err != nil {
			return err
		}
		u.Email = email
	}
	if u.Phone != "" {
		p, err := NormalizePhone(u.Phone, region)
		if err != nil {
			return err
		}
		u.Phone = p
	}
	for _, f := range []struct{ name, v string }{{"firstName", u.FirstName}, {"lastName", u.LastName}} {
		if err := checkText(f.name, f.v, 255); err != nil {
			return err
		}
	}
	return nil
}

// NormalizeEmail checks that s is a bare address (no display name) of at
// most 254 bytes and returns it trimmed.
func NormalizeEmail(s string) (string, error) {
	s = strings.TrimSpace(s)
	a, err := mail.ParseAddress(s)
	if err != nil || a.Address != s || len(s) > 254 || !strings.Contains(s[strings.LastIndexByte(s, '@'):], ".") {
		return "", Invalid("email", "email %q is not a valid address", truncate(s, 64))
	}
	return s, nil
}

// NormalizePhone parses s as a phone number and returns it in E.164. A number
// without a leading + needs region (ISO 3166 code such as "DE").
func NormalizePhone(s, region string) (string, error) {
	s = strings.TrimSpace(s)
	if len(s) > 32 {
		return "", Invalid("phone", "phone number is too long")
	}
	if !strings.HasPrefix(s, "+") && region == "" {
		return "", Invalid("phone", "phone number must be in international format, starting with +")
	}
	n, err := phonenumbers.Parse(s, strings.ToUpper(region))
	if err != nil || !phonenumbers.IsPossibleNumber(n) {
		return "", Invalid("phone", "phone number %q is not valid", truncate(s, 32))
	}
	return phonenumbers.Format(n, phonenumbers.E164), nil
}

// FoldKey is the form used for case-insensitive uniqueness and search.
func FoldKey(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

func checkText(field, v string, max int) error {
	if !utf8.ValidString(v) {
		return Invalid(field, "%s is not valid UTF-8", field)
	}
	if utf8.RuneCountInString(v) > max {
		return Invalid(field, "%s is longer than %d characters", field, max)
	}
	for _, r := range v {
		if r < 0x20 || r == 0x7f {
			return Invalid(field, "%s contains control characters", field)
		}
	}
	return nil
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
