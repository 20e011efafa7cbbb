package authn_test

import (
	"context"
	"crypto/rand"
	"testing"

	"iamd/authn"
	"iamd/authn/social/socialtest"
	"iamd/directory"
	"iamd/iam"
	"iamd/seal"
	"iamd/store"
)

// socialSetup gives the fixture's realm an OpenID provider GOOGLE (a
// stand-in upstream) whose client secret is sealed.
func socialSetup(t *testing.T) (*fixture, *socialtest.Provider) {
	t.Helper()
	f := newFixture(t, iam.BruteForcePolicy{})
	up := socialtest.New(t, "web-client", "s3cret")
	key := make([]byte, seal.KeySize)
	_, _ = rand.Read(key)
	box, err := seal.New(key)
	if err != nil {
		t.Fatal(err)
	}
	f.auth.Unseal = func(b []byte) ([]byte, error) { return box.Open(b, nil) }
	f.realm.Settings.SocialProviders = []iam.SocialProvider{
		{Name: "GOOGLE", Kind: iam.SocialOIDC, Issuer: up.URL, ClientID: "web-client", ClientSecretEnc: box.Seal([]byte("s3cret"), nil)},
		{Name: "LINKEDIN", Kind: iam.SocialOAuth2, ClientID: "web-client", ClientSecretEnc: box.Seal([]byte("s3cret"), nil),
			TokenURL: up.URL + "/token", UserinfoURL: up.URL + "/userinfo"},
		{Name: "OFF", Kind: iam.SocialOIDC, Issuer: up.URL, ClientID: "web-client", Disabled: true},
	}
	if err := f.store.Realms().Update(context.Background(), f.realm); err != nil {
		t.Fatal(err)
	}
	return f, up
}

func (f *fixture) social(in authn.SocialLogin) (*authn.SocialSignedIn, error) {
	return f.auth.SocialSignIn(context.Background(), f.realm, in)
}

func TestSocialSignInCreatesThenFindsTheUser(t *testing.T) {
	f, up := socialSetup(t)
	ann := map[string]any{"sub": "g-1", "email": "ann@example.com", "email_verified": true, "given_name": "Ann"}
	first, err := f.social(authn.SocialLogin{Provider: "google", IDToken: up.IDToken(t, "web-client", ann), LastName: "Lee", Source: "WEB_GOOGLE"})
	if err != nil {
		t.Fatal(err)
	}
	u := first.User
	if first.Existing || u.Username != "ann@example.com" || u.Email != "ann@example.com" || !u.EmailVerified ||
		u.FirstName != "Ann" || u.LastName != "Lee" || u.Profile.Source != "WEB_GOOGLE" {
		t.Fatalf("first sign-in: existing %v, user %+v", first.Existing, u)
	}
	again, err := f.social(authn.SocialLogin{Provider: "GOOGLE", Code: up.Code(ann, "https://app/cb", true), RedirectURL: "https://app/cb"})
	if err != nil || !again.Existing || again.User.ID != u.ID {
		t.Fatalf("second sign-in: %+v %v", again, err)
	}
	creds, _ := f.store.Realm(f.realm.ID).Credentials().List(context.Background(), u.ID, iam.CredSocial)
	if len(creds) != 1 || creds[0].Label != "GOOGLE" || creds[0].Secret != "g-1" {
		t.Fatalf("social credentials %+v", creds)
	}

	// Without an e-mail the username is made of provider and subject; the
	// OAuth 2.0 provider reads the user at its userinfo URL.
	res, err := f.social(authn.SocialLogin{Provider: "LINKEDIN", Code: up.Code(map[string]any{"id": "li-7"}, "https://app/cb", false), RedirectURL: "https://app/cb", FirstName: "Lin"})
	if err != nil || res.Existing || res.User.Username != "linkedin_li-7" || res.User.Email != "" || res.User.FirstName != "Lin" {
		t.Fatalf("no e-mail: %+v %v", res, err)
	}
}

func TestSocialSignInLinksOnlyVerifiedEmails(t *testing.T) {
	f, up := socialSetup(t)
	verified, err := f.dir.CreateUser(context.Background(), f.realm, directory.NewUser{Username: "vera", Email: "vera@example.com", EmailVerified: true, Password: "Correct-Horse-9"}, "")
	if err != nil {
		t.Fatal(err)
	}
	f.user("uma", "Correct-Horse-9") // uma@example.com, not verified
	token := func(sub, email string, ok bool) string {
		return up.IDToken(t, "web-client", map[string]any{"sub": sub, "email": email, "email_verified": ok})
	}

	for name, tok := range map[string]string{
		"the provider has not verified the address": token("g-vera", "vera@example.com", false),
		"the account has not verified the address":  token("g-uma", "uma@example.com", true),
	} {
		_, err := f.social(authn.SocialLogin{Provider: "GOOGLE", IDToken: tok})
		if iam.ErrorCode(err) != iam.CodeUnauthorized {
			t.Errorf("%s: want unauthenticated, got %v", name, err)
		}
	}
	_, n, _ := f.dir.ListUsers(context.Background(), f.realm, store.UserQuery{})
	if n != 2 {
		t.Fatalf("a refused link created a user: %d users", n)
	}

	res, err := f.social(authn.SocialLogin{Provider: "GOOGLE", IDToken: token("g-vera", "vera@example.com", true)})
	if err != nil || !res.Existing || res.User.ID != verified.ID {
		t.Fatalf("verified on both sides: %+v %v", res, err)
	}
	// A disabled account gets no new link.
	dora, err := f.dir.CreateUser(context.Background(), f.realm, directory.NewUser{Username: "dora", Email: "dora@example.com", EmailVerified: true, Disabled: true}, "")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.social(authn.SocialLogin{Provider: "GOOGLE", IDToken: token("g-dora", "dora@example.com", true)}); iam.ErrorCode(err) != iam.CodeUnauthorized {
		t.Fatalf("disabled account: %v", err)
	}
	if creds, _ := f.store.Realm(f.realm.ID).Credentials().List(context.Background(), dora.ID, iam.CredSocial); len(creds) != 0 {
		t.Fatal("a disabled account was linked")
	}
	// Once linked, the identity signs in even if the provider changes its mind.
	res, err = f.social(authn.SocialLogin{Provider: "GOOGLE", IDToken: token("g-vera", "other@example.com", false)})
	if err != nil || res.User.ID != verified.ID {
		t.Fatalf("linked identity: %+v %v", res, err)
	}
}

func TestSocialSignInRefusals(t *testing.T) {
	f, up := socialSetup(t)
	ann := map[string]any{"sub": "g-1", "email": "ann@example.com", "email_verified": true}
	tok := up.IDToken(t, "web-client", ann)
	cases := map[string]struct {
		in   authn.SocialLogin
		code iam.Code
	}{
		"no code or token":         {authn.SocialLogin{Provider: "GOOGLE"}, iam.CodeInvalid},
		"unknown provider":         {authn.SocialLogin{Provider: "FACEBOOK", IDToken: tok}, iam.CodeUnauthorized},
		"disabled provider":        {authn.SocialLogin{Provider: "OFF", IDToken: tok}, iam.CodeUnauthorized},
		"ID token to OAuth 2.0":    {authn.SocialLogin{Provider: "LINKEDIN", IDToken: tok}, iam.CodeUnauthorized},
		"another client's token":   {authn.SocialLogin{Provider: "GOOGLE", IDToken: up.IDToken(t, "other", ann)}, iam.CodeUnauthorized},
		"unknown code":             {authn.SocialLogin{Provider: "GOOGLE", Code: "nope", RedirectURL: "https://app/cb"}, iam.CodeUnauthorized},
		"code for another address": {authn.SocialLogin{Provider: "GOOGLE", Code: up.Code(ann, "https://app/cb", true), RedirectURL: "https://evil/cb"}, iam.CodeUnauthorized},
	}
	for name, c := range cases {
		if _, err := f.social(c.in); iam.ErrorCode(err) != c.code {
			t.Errorf("%s: want %s, got %v", name, c.code, err)
		}
	}

	res, err := f.social(authn.SocialLogin{Provider: "GOOGLE", IDToken: tok})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.dir.UpdateUser(context.Background(), f.realm, res.User.ID, directory.UserUpdate{Enabled: new(false)}, ""); err != nil {
		t.Fatal(err)
	}
	if _, err := f.social(authn.SocialLogin{Provider: "GOOGLE", IDToken: tok}); iam.ErrorCode(err) != iam.CodeUnauthorized {
		t.Fatalf("disabled user: %v", err)
	}
	// A deleted user's identity is free: the next sign-in creates a user.
	if err := f.dir.DeleteUser(context.Background(), f.realm, res.User.ID, "test", ""); err != nil {
		t.Fatal(err)
	}
	again, err := f.social(authn.SocialLogin{Provider: "GOOGLE", IDToken: tok})
	if err != nil || again.Existing || again.User.ID == res.User.ID {
		t.Fatalf("after deletion: %+v %v", again, err)
	}
}
