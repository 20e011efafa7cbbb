package directory_test

import (
	"errors"
	"strconv"
	"testing"

	"iamd/directory"
	"iamd/iam"
)

// SwitchTarget lets a user have tokens only for an organization they are
// an active member of, and only for an open app or one their membership
// holds a role for.
func TestSwitchTarget(t *testing.T) {
	onBoth(t, func(t *testing.T, f *fixture) {
		ann := f.user(t, f.realm, "ann")
		web := f.app(t, f.realm, "iam-web", "IAM")
		f.app(t, f.realm, "books", "Books")
		f.app(t, f.realm, "people", "People")
		a, b, c := f.org(t, f.realm, "a"), f.org(t, f.realm, "b"), f.org(t, f.realm, "c")
		if _, _, err := f.s.AddMember(f.ctx, f.realm, a.ID, ann.ID, []iam.OrgRole{{App: "Books", Role: "admin"}}, ""); err != nil {
			t.Fatal(err)
		}
		if _, _, err := f.s.AddMember(f.ctx, f.realm, b.ID, ann.ID, nil, ""); err != nil {
			t.Fatal(err)
		}
		if _, _, err := f.s.PutMember(f.ctx, f.realm, c.ID, ann.ID, directory.MemberInput{Status: iam.MemberInactive}, ""); err != nil {
			t.Fatal(err)
		}
		open := []string{"iam-web"}
		in := func(org, app string) directory.SwitchInput {
			return directory.SwitchInput{UserID: ann.ID, OrgRef: org, App: app, OpenApps: open}
		}

		tg, err := f.s.SwitchTarget(f.ctx, f.realm, in(strconv.FormatInt(a.Num, 10), "books"))
		if err != nil || tg.Org.ID != a.ID || tg.App.ClientID != "books" {
			t.Fatalf("member with a role: %+v %v", tg, err)
		}
		if tg, err = f.s.SwitchTarget(f.ctx, f.realm, in(b.ID, "iam-web")); err != nil || tg.App.ID != web.ID || tg.Org.ID != b.ID {
			t.Fatalf("open app: %+v %v", tg, err)
		}
		if tg, err = f.s.SwitchTarget(f.ctx, f.realm, in("", "iam-web")); err != nil || tg.Org != nil {
			t.Fatalf("no organization: %+v %v", tg, err)
		}

		for what, org := range map[string]string{"inactive member": c.ID, "unknown": "987654321", "garbage": "x y"} {
			_, err := f.s.SwitchTarget(f.ctx, f.realm, in(org, "iam-web"))
			wantSwitchDenied(t, err, directory.SwitchFieldOrg, what)
		}
		stranger := f.org(t, f.realm, "d")
		_, err = f.s.SwitchTarget(f.ctx, f.realm, in(stranger.ID, "iam-web"))
		wantSwitchDenied(t, err, directory.SwitchFieldOrg, "not a member")

		_, err = f.s.SwitchTarget(f.ctx, f.realm, in(b.ID, "books"))
		wantSwitchDenied(t, err, directory.SwitchFieldApp, "no role for the app in b")
		_, err = f.s.SwitchTarget(f.ctx, f.realm, in(a.ID, "people"))
		wantSwitchDenied(t, err, directory.SwitchFieldApp, "a role for another app only")
		_, err = f.s.SwitchTarget(f.ctx, f.realm, in("", "books"))
		wantSwitchDenied(t, err, directory.SwitchFieldApp, "no organization, closed app")

		_, err = f.s.SwitchTarget(f.ctx, f.realm, in(a.ID, "nope"))
		wantCode(t, err, iam.CodeNotFound, "unknown app")
		_, err = f.s.SwitchTarget(f.ctx, f.realm, in(a.ID, ""))
		wantField(t, err, "app", "no app")

		// Another realm's organization and app are unknown here.
		other := f.org(t, f.other, "a")
		f.app(t, f.other, "elsewhere", "Elsewhere")
		_, err = f.s.SwitchTarget(f.ctx, f.realm, in(other.ID, "iam-web"))
		wantSwitchDenied(t, err, directory.SwitchFieldOrg, "other realm's organization")
		_, err = f.s.SwitchTarget(f.ctx, f.realm, in(a.ID, "elsewhere"))
		wantCode(t, err, iam.CodeNotFound, "other realm's app")

		// A disabled app is refused as such.
		books, err := f.s.Store.Realm(f.realm.ID).Apps().GetByClientID(f.ctx, "books")
		if err != nil {
			t.Fatal(err)
		}
		books.Enabled = false
		if err := f.s.Store.Realm(f.realm.ID).Apps().Update(f.ctx, books); err != nil {
			t.Fatal(err)
		}
		_, err = f.s.SwitchTarget(f.ctx, f.realm, in(a.ID, "books"))
		wantCode(t, err, iam.CodePrecondition, "disabled app")
	})
}

func wantSwitchDenied(t *testing.T, err error, field, what string) {
	t.Helper()
	var e *iam.Error
	if !errors.As(err, &e) || e.Code != iam.CodeForbidden || e.Field != field {
		t.Fatalf("%s: want permission_denied on %q, got %#v", what, field, err)
	}
}
