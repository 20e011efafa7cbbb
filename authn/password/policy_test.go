package password

import (
	"errors"
	"strings"
	"testing"

	"iamd/iam"
)

func TestCheckPolicy(t *testing.T) {
	defaults := iam.PasswordPolicy{}
	inputs := []string{"alice", "Alice.Smith@example.com"}
	for _, tc := range []struct {
		name     string
		policy   iam.PasswordPolicy
		password string
		wantMsg  string // "" means accepted
	}{
		{"fine", defaults, "violet-harbour-42", ""},
		{"too short", defaults, "Xy7!kq2", "password must be at least 8 characters long"},
		{"min counts characters not bytes", defaults, "ünïcödé", "password must be at least 8 characters long"},
		{"eight multi-byte characters pass", defaults, "ünïcödéß", ""},
		{"custom minimum", iam.PasswordPolicy{MinLength: 12}, "violet-harb", "password must be at least 12 characters long"},
		{"too long", defaults, strings.Repeat("ab9!", 33), "password must be at most 128 characters long"},
		{"max counts characters", iam.PasswordPolicy{MaxLength: 10}, "ééééééééé!", ""},
		{"custom maximum", iam.PasswordPolicy{MaxLength: 10}, "violet-harbour", "password must be at most 10 characters long"},
		{"common", defaults, "password", "password is too common and easy to guess; choose another one"},
		{"common, any case", defaults, "PassWord1", "password is too common and easy to guess; choose another one"},
		{"common keyboard walk", defaults, "1qaz2wsx", "password is too common and easy to guess; choose another one"},
		{"common classic", defaults, "P@ssw0rd", "password is too common and easy to guess; choose another one"},
		{"common allowed", iam.PasswordPolicy{AllowCommon: true}, "iloveyou", ""},
		{"username", iam.PasswordPolicy{MinLength: 5}, "ALICE", "password must not be the same as your username or e-mail address"},
		{"email", defaults, "alice.smith@EXAMPLE.com", "password must not be the same as your username or e-mail address"},
		{"email local part", defaults, "alice.smith", "password must not be the same as your username or e-mail address"},
		{"contains username is fine", defaults, "alice-in-chains-77", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := CheckPolicy(tc.policy, tc.password, inputs...)
			if tc.wantMsg == "" {
				if err != nil {
					t.Fatalf("rejected: %v", err)
				}
				return
			}
			var e *iam.Error
			if !errors.As(err, &e) {
				t.Fatalf("got %v, want *iam.Error", err)
			}
			if e.Code != iam.CodeInvalid || e.Field != "password" || e.Message != tc.wantMsg {
				t.Fatalf("got code %q field %q message %q; want %q %q %q",
					e.Code, e.Field, e.Message, iam.CodeInvalid, "password", tc.wantMsg)
			}
		})
	}
}

func TestDenyList(t *testing.T) {
	if n := len(denylist()); n < 10_000 {
		t.Fatalf("deny-list has %d entries, want at least 10000", n)
	}
	for _, pw := range []string{"123456", "qwerty", "12345678", "iloveyou", "letmein", "welcome", "admin",
		"qwertyuiop", "monkey", "dragon", "football", "Password1", " trustno1 ", "zaq12wsx", "p@ssw0rd!"} {
		if !IsCommon(pw) {
			t.Errorf("%q is not on the deny-list", pw)
		}
	}
	for _, pw := range []string{"violet-harbour-42", "", "#", "part 2"} {
		if IsCommon(pw) {
			t.Errorf("%q is on the deny-list", pw)
		}
	}
}
