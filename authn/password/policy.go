package password

import (
	"strings"
	"unicode/utf8"

	"iamd/iam"
)

// CheckPolicy reports whether password may be set under policy p (defaults
// filled in by p.Effective). userInputs are the user's own identifiers
// (username, e-mail address, ...); the password must not equal any of them,
// nor the local part of an e-mail address, ignoring case. Lengths count
// characters (runes), not bytes.
//
// It returns nil, or an *iam.Error with code iam.CodeInvalid, field
// "password" and a message fit to show the user. The checks run in this
// order: minimum length, maximum length, user inputs, deny-list (skipped
// when p.AllowCommon).
func CheckPolicy(p iam.PasswordPolicy, password string, userInputs ...string) error {
	p = p.Effective()
	n := utf8.RuneCountInString(password)
	if n < p.MinLength {
		return iam.Invalid("password", "password must be at least %d characters long", p.MinLength)
	}
	if n > p.MaxLength {
		return iam.Invalid("password", "password must be at most %d characters long", p.MaxLength)
	}
	if equalsUserInput(password, userInputs) {
		return iam.Invalid("password", "password must not be the same as your username or e-mail address")
	}
	if !p.AllowCommon && IsCommon(password) {
		return iam.Invalid("password", "password is too common and easy to guess; choose another one")
	}
	return nil
}

func equalsUserInput(password string, inputs []string) bool {
	pw := strings.TrimSpace(password)
	for _, in := range inputs {
		in = strings.TrimSpace(in)
		if in == "" {
			continue
		}
		if strings.EqualFold(pw, in) {
			return true
		}
		if at := strings.LastIndexByte(in, '@'); at > 0 && strings.EqualFold(pw, in[:at]) {
			return true
		}
	}
	return false
}
