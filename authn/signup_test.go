package authn_test

import (
	"context"
	"net/url"
	"strconv"
	"testing"
	"time"

	"iamd/authn"
	"iamd/directory"
	"iamd/iam"
	"iamd/store"
)

const verifyLink = "https://id.example/v1/iam/auth/email/verification"

func (f *fixture) signUp(name, org string) (*authn.SignedUp, error) {
	return f.auth.SignUp(context.Background(), f.realm, authn.SignUp{
		User:         directory.NewUser{Username: name + "@example.com", Email: name + "@example.com", Password: "Correct-Horse-9", FirstName: name},
		Organization: org, OrgRoles: []iam.OrgRole{{App: "iam-web", Role: iam.OrgAdmin}},
		VerifyLink: verifyLink,
	})
}

// linkParams returns the user and token parameters of a verification link.
func linkParams(t *testing.T, link string) (user, token string) {
	t.Helper()
	u, err := url.Parse(link)
	if err != nil || u.Scheme+"://"+u.Host+u.Path != verifyLink {
		t.Fatalf("link %q", link)
	}
	return u.Query().Get("user"), u.Query().Get("token")
}

// Sign-up writes the user, the organization the user administers and the
// verification link together; a duplicate adds nothing.
func TestSignUpCommitsUserOrganizationAndLink(t *testing.T) {
	f := newFixture(t, iam.BruteForcePolicy{})
	ctx := context.Background()
	if _, _, err := f.dir.CreateApp(ctx, f.realm, directory.NewApp{ClientID: "iam-web", Public: true}, ""); err != nil {
		t.Fatal(err)
	}
	res, err := f.signUp("ann", "Acme")
	if err != nil {
		t.Fatal(err)
	}
	if res.User.EmailVerified || res.Organization == nil || res.Organization.Name != "Acme" || res.Verification == nil {
		t.Fatalf("result %+v", res)
	}
	m, err := f.dir.Member(ctx, f.realm, res.Organization.ID, res.User.ID)
	if err != nil || !m.Admin() {
		t.Fatalf("the creator administers the organization: %+v %v", m, err)
	}
	user, token := linkParams(t, res.Verification.Message.Link)
	if user != strconv.FormatInt(res.User.Num, 10) || token != res.Verification.Clear || res.Verification.Message.To != "ann@example.com" {
		t.Fatalf("message %+v", res.Verification.Message)
	}

	// Another company of the same name signs up too; its stored name differs.
	bob, err := f.signUp("bob", "acme")
	if err != nil || bob.Organization.Name == "acme" || bob.Organization.DisplayName != "acme" {
		t.Fatalf("second Acme: %+v %v", bob, err)
	}

	msgs := func() int {
		list, err := f.store.Realm(f.realm.ID).Messages().List(ctx, store.Page{})
		if err != nil {
			t.Fatal(err)
		}
		return len(list)
	}
	before := msgs()
	_, err = f.signUp("ann", "Other")
	wantCode(t, err, iam.CodeConflict)
	orgs, _, _ := f.dir.ListOrganizations(ctx, f.realm, "Other", store.Page{})
	if len(orgs) != 0 || msgs() != before {
		t.Fatalf("a refused sign-up left %d organizations and %d messages", len(orgs), msgs()-before)
	}
	_, err = f.auth.SignUp(ctx, f.realm, authn.SignUp{User: directory.NewUser{Username: "weak", Password: "short"}})
	wantCode(t, err, iam.CodeInvalid)
}

// A link verifies once; a wrong, used or another user's link is not found,
// an expired one is expired; a resent link works.
func TestEmailLinkVerifiesOnce(t *testing.T) {
	f := newFixture(t, iam.BruteForcePolicy{})
	ctx := context.Background()
	ann, err := f.signUp("ann", "")
	if err != nil {
		t.Fatal(err)
	}
	bob, err := f.signUp("bob", "")
	if err != nil {
		t.Fatal(err)
	}
	annUser, annToken := linkParams(t, ann.Verification.Message.Link)
	bobUser, _ := linkParams(t, bob.Verification.Message.Link)

	_, err = f.auth.VerifyEmailLink(ctx, f.realm, bobUser, annToken)
	wantCode(t, err, iam.CodeNotFound)
	_, err = f.auth.VerifyEmailLink(ctx, f.realm, annUser, "wrong")
	wantCode(t, err, iam.CodeNotFound)
	u, err := f.auth.VerifyEmailLink(ctx, f.realm, annUser, annToken)
	if err != nil || !u.EmailVerified {
		t.Fatalf("verify: %+v %v", u, err)
	}
	_, err = f.auth.VerifyEmailLink(ctx, f.realm, annUser, annToken)
	wantCode(t, err, iam.CodeNotFound)
	_, err = f.auth.ResendEmailVerification(ctx, f.realm, "ann@example.com", verifyLink, "")
	wantCode(t, err, iam.CodePrecondition)
	_, err = f.auth.ResendEmailVerification(ctx, f.realm, "nobody@example.com", verifyLink, "")
	wantCode(t, err, iam.CodeNotFound)
	_, err = f.auth.ResendEmailVerification(ctx, f.realm, "not an address", verifyLink, "")
	wantCode(t, err, iam.CodeInvalid)

	f.advance(authn.EmailLinkTTL + time.Minute)
	_, bobToken := linkParams(t, bob.Verification.Message.Link)
	_, err = f.auth.VerifyEmailLink(ctx, f.realm, bobUser, bobToken)
	wantCode(t, err, iam.CodeExpired)
	again, err := f.auth.ResendEmailVerification(ctx, f.realm, "BOB@example.com", verifyLink, "")
	if err != nil {
		t.Fatal(err)
	}
	u2, t2 := linkParams(t, again.Message.Link)
	if u, err := f.auth.VerifyEmailLink(ctx, f.realm, u2, t2); err != nil || !u.EmailVerified || u.ID != bob.User.ID {
		t.Fatalf("resent link: %v", err)
	}
}

// A phone sign-in code is checked against the phone it was sent to; wrong
// codes count toward the lockout.
func TestPhoneSignIn(t *testing.T) {
	f := newFixture(t, iam.BruteForcePolicy{MaxOTPFailures: 3})
	ctx := context.Background()
	u, err := f.dir.CreateUser(ctx, f.realm, directory.NewUser{Username: "+6591234567", Phone: "+6591234567"}, "")
	if err != nil {
		t.Fatal(err)
	}
	_, err = f.auth.StartPhoneSignIn(ctx, f.realm, "+6590000000", "")
	wantCode(t, err, iam.CodeNotFound)
	_, err = f.auth.StartPhoneSignIn(ctx, f.realm, "12", "")
	wantCode(t, err, iam.CodeInvalid)
	ic, err := f.auth.StartPhoneSignIn(ctx, f.realm, "+65 9123 4567", "")
	if err != nil || ic.Message.Channel != iam.ChannelSMS || ic.Message.To != "+6591234567" {
		t.Fatalf("start: %+v %v", ic, err)
	}
	_, err = f.auth.VerifyPhoneSignIn(ctx, f.realm, "+6591234567", ic.Code.Handle, "000000x", "")
	wantCode(t, err, iam.CodeUnauthorized)
	got, err := f.auth.VerifyPhoneSignIn(ctx, f.realm, "+6591234567", ic.Code.Handle, ic.Clear, "")
	if err != nil || got.ID != u.ID || !got.PhoneVerified {
		t.Fatalf("verify: %+v %v", got, err)
	}
	_, err = f.auth.VerifyPhoneSignIn(ctx, f.realm, "+6591234567", ic.Code.Handle, ic.Clear, "")
	wantCode(t, err, iam.CodePrecondition)

	ic, _ = f.auth.StartPhoneSignIn(ctx, f.realm, "+6591234567", "")
	for i := 0; i < 2; i++ {
		_, err = f.auth.VerifyPhoneSignIn(ctx, f.realm, "+6591234567", ic.Code.Handle, "999999x", "")
		wantCode(t, err, iam.CodeUnauthorized)
	}
	_, err = f.auth.VerifyPhoneSignIn(ctx, f.realm, "+6591234567", ic.Code.Handle, "999999x", "")
	wantCode(t, err, iam.CodeLocked)
	_, err = f.auth.StartPhoneSignIn(ctx, f.realm, "+6591234567", "")
	wantCode(t, err, iam.CodeLocked)
}
