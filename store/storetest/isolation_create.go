package storetest

import (
	"context"
	"testing"
	"time"

	"iamd/iam"
	"iamd/store"
)

// testIsolationHandleDecides creates records through B's handle with
// RealmID set to A: the handle, not the field, decides where they land.
func testIsolationHandleDecides(t *testing.T, s store.Store) {
	ctx := t.Context()
	a := buildWorld(t, s, "a")
	b := buildWorld(t, s, "b")
	sa, sb := s.Realm(a.realm.ID), s.Realm(b.realm.ID)
	aid := a.realm.ID
	now := clock()
	before := snap(t, s, a)

	u := newUser(aid, "sneaky")
	app := newApp(aid, "sneaky-app")
	role := &iam.Role{ID: iam.NewID(), RealmID: aid, Name: "sneaky-role", CreatedAt: now}
	group := &iam.Group{ID: iam.NewID(), RealmID: aid, Name: "sneaky-group", CreatedAt: now}
	org := &iam.Organization{ID: iam.NewID(), RealmID: aid, Name: "sneaky-org", CreatedAt: now, UpdatedAt: now}
	rb := &iam.Riskbit{ID: iam.NewID(), RealmID: aid, Risk: "sneaky-risk", CreatedAt: now}
	sess := newSession(aid, b.user.ID, now)
	code := newCode(aid, b.user.ID, iam.PurposeSignIn, 3)
	cred := &iam.Credential{ID: iam.NewID(), RealmID: aid, UserID: b.user.ID, Type: iam.CredTOTP, Secret: "sealed", CreatedAt: now, UpdatedAt: now}
	msg := newMessage(aid, "sneaky@example.com", now)
	inv := &iam.Invitation{
		ID: iam.NewID(), RealmID: aid, OrgID: b.org.ID, Email: "sneaky@example.com", TokenHash: "sneaky-" + iam.NewID(),
		Status: iam.InvitePending, CreatedAt: now, ExpiresAt: now.Add(time.Hour),
	}
	tok := newToken(b.session, iam.NewID(), "")
	tok.RealmID = aid

	cases := []struct {
		name     string
		err      error
		id       string
		inA, inB func(id string) (string, error) // the stored RealmID
	}{
		{"Users", sb.Users().Create(ctx, u), u.ID,
			realmGetter(ctx, sa.Users().Get, func(x *iam.User) string { return x.RealmID }),
			realmGetter(ctx, sb.Users().Get, func(x *iam.User) string { return x.RealmID })},
		{"Apps", sb.Apps().Create(ctx, app), app.ID,
			realmGetter(ctx, sa.Apps().Get, func(x *iam.App) string { return x.RealmID }),
			realmGetter(ctx, sb.Apps().Get, func(x *iam.App) string { return x.RealmID })},
		{"Roles", sb.Roles().Create(ctx, role), role.ID,
			realmGetter(ctx, sa.Roles().Get, func(x *iam.Role) string { return x.RealmID }),
			realmGetter(ctx, sb.Roles().Get, func(x *iam.Role) string { return x.RealmID })},
		{"Groups", sb.Groups().Create(ctx, group), group.ID,
			realmGetter(ctx, sa.Groups().Get, func(x *iam.Group) string { return x.RealmID }),
			realmGetter(ctx, sb.Groups().Get, func(x *iam.Group) string { return x.RealmID })},
		{"Organizations", sb.Organizations().Create(ctx, org), org.ID,
			realmGetter(ctx, sa.Organizations().Get, func(x *iam.Organization) string { return x.RealmID }),
			realmGetter(ctx, sb.Organizations().Get, func(x *iam.Organization) string { return x.RealmID })},
		{"Riskbits", sb.Riskbits().Create(ctx, rb), rb.ID,
			realmGetter(ctx, sa.Riskbits().Get, func(x *iam.Riskbit) string { return x.RealmID }),
			realmGetter(ctx, sb.Riskbits().Get, func(x *iam.Riskbit) string { return x.RealmID })},
		{"Sessions", sb.Sessions().Create(ctx, sess), sess.ID,
			realmGetter(ctx, sa.Sessions().Get, func(x *iam.Session) string { return x.RealmID }),
			realmGetter(ctx, sb.Sessions().Get, func(x *iam.Session) string { return x.RealmID })},
		{"RefreshTokens", sb.RefreshTokens().Create(ctx, tok), tok.ID,
			realmGetter(ctx, sa.RefreshTokens().Get, func(x *iam.RefreshToken) string { return x.RealmID }),
			realmGetter(ctx, sb.RefreshTokens().Get, func(x *iam.RefreshToken) string { return x.RealmID })},
		{"Codes", sb.Codes().Create(ctx, code), code.ID,
			realmGetter(ctx, sa.Codes().Get, func(x *iam.OneTimeCode) string { return x.RealmID }),
			realmGetter(ctx, sb.Codes().Get, func(x *iam.OneTimeCode) string { return x.RealmID })},
		{"Credentials", sb.Credentials().Create(ctx, cred), cred.ID,
			realmGetter(ctx, sa.Credentials().Get, func(x *iam.Credential) string { return x.RealmID }),
			realmGetter(ctx, sb.Credentials().Get, func(x *iam.Credential) string { return x.RealmID })},
		{"Invitations", sb.Invitations().Create(ctx, inv), inv.ID,
			realmGetter(ctx, sa.Invitations().Get, func(x *iam.Invitation) string { return x.RealmID }),
			realmGetter(ctx, sb.Invitations().Get, func(x *iam.Invitation) string { return x.RealmID })},
		{"Messages", sb.Messages().Enqueue(ctx, msg), msg.ID,
			realmGetter(ctx, sa.Messages().Get, func(x *iam.Message) string { return x.RealmID }),
			realmGetter(ctx, sb.Messages().Get, func(x *iam.Message) string { return x.RealmID })},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := c.inA(c.id)
			notFound(t, err, "record created through B's handle (RealmID A), read through A")
			if c.err != nil {
				return // refusing is fine; landing in A is not
			}
			rid, err := c.inB(c.id)
			if err != nil {
				t.Errorf("record created through B's handle: get through B: %v", err)
			} else if rid != b.realm.ID {
				t.Errorf("record created through B's handle reads back with RealmID %s, want B's %s", rid, b.realm.ID)
			}
		})
	}
	t.Run("Events", func(t *testing.T) {
		ev := &iam.Event{ID: iam.NewID(), RealmID: aid, Type: iam.EventLoginFailed, CreatedAt: now}
		err := sb.Events().Append(ctx, ev)
		es, lerr := sa.Events().List(ctx, store.EventQuery{Type: iam.EventLoginFailed})
		ok(t, lerr, "list A's events")
		if len(es) != 0 {
			t.Errorf("event appended through B's handle (RealmID A) shows in A's log")
		}
		if err == nil {
			es, lerr = sb.Events().List(ctx, store.EventQuery{Type: iam.EventLoginFailed})
			ok(t, lerr, "list B's events")
			if len(es) != 1 || es[0].RealmID != b.realm.ID {
				t.Errorf("event appended through B's handle: B's log shows %d such events, want 1 with RealmID B", len(es))
			}
		}
	})
	same(t, "realm A after creating records through B's handle", before, snap(t, s, a))
}

// realmGetter adapts a Get method to return the stored RealmID.
func realmGetter[T any](ctx context.Context, get func(context.Context, string) (*T, error), realm func(*T) string) func(string) (string, error) {
	return func(id string) (string, error) {
		x, err := get(ctx, id)
		if err != nil {
			return "", err
		}
		return realm(x), nil
	}
}

// testIsolationSharedIdentifiers: identifiers unique per realm may repeat
// across realms, and each realm finds its own record.
func testIsolationSharedIdentifiers(t *testing.T, s store.Store) {
	ctx := t.Context()
	phone := newPhone()
	type realmData struct {
		id                 string
		user               *iam.User
		app                *iam.App
		role, appRole      *iam.Role
		group              *iam.Group
		org                *iam.Organization
		riskbit            *iam.Riskbit
		code               *iam.OneTimeCode
		inv                *iam.Invitation
		tokHash, tokenID   string
		codeHash, codeHndl string
	}
	var rs []*realmData
	for _, name := range []string{"one", "two"} {
		r := mkRealm(t, s, name)
		d := &realmData{id: r.ID}
		d.user = mkUser(t, s, r.ID, "alice", func(u *iam.User) { u.Phone = phone })
		d.app = mkApp(t, s, r.ID, "portal")
		d.role = mkRole(t, s, r.ID, "", "admin")
		d.appRole = mkRole(t, s, r.ID, d.app.ID, "viewer")
		d.group = mkGroup(t, s, r.ID, "", "staff")
		d.org = mkOrg(t, s, r.ID, "corp")
		d.riskbit = &iam.Riskbit{ID: iam.NewID(), RealmID: r.ID, Risk: "rooted", CreatedAt: clock()}
		ok(t, s.Realm(r.ID).Riskbits().Create(ctx, d.riskbit), "create riskbit %q in realm %s", "rooted", name)
		rs = append(rs, d)
	}
	if rs[0].user.Num == rs[1].user.Num {
		t.Errorf("users of two realms got the same Num %d; Num is unique across the server", rs[0].user.Num)
	}
	if rs[0].app.Num == rs[1].app.Num {
		t.Errorf("apps of two realms got the same Num %d", rs[0].app.Num)
	}
	if rs[0].org.Num == rs[1].org.Num {
		t.Errorf("organizations of two realms got the same Num %d", rs[0].org.Num)
	}
	for i, d := range rs {
		sc := s.Realm(d.id)
		for _, login := range []string{"alice", "ALICE", "alice@example.com", phone} {
			got, err := sc.Users().Find(ctx, login)
			if err != nil || got.ID != d.user.ID {
				t.Errorf("realm %d: Find(%q) = %v, %v; want its own user", i, login, idOr(got, func(u *iam.User) string { return u.ID }), err)
			}
		}
		wantOwn(t, "Users.GetByNum", d.user.ID, func() (string, error) {
			x, err := sc.Users().GetByNum(ctx, d.user.Num)
			return realmOf(x, err, func() string { return x.ID })
		})
		wantOwn(t, "Apps.GetByClientID", d.app.ID, func() (string, error) {
			x, err := sc.Apps().GetByClientID(ctx, "portal")
			return realmOf(x, err, func() string { return x.ID })
		})
		wantOwn(t, "Roles.GetByName(realm role)", d.role.ID, func() (string, error) {
			x, err := sc.Roles().GetByName(ctx, "", "admin")
			return realmOf(x, err, func() string { return x.ID })
		})
		wantOwn(t, "Riskbits.GetByRisk", d.riskbit.ID, func() (string, error) {
			x, err := sc.Riskbits().GetByRisk(ctx, "rooted")
			return realmOf(x, err, func() string { return x.ID })
		})
		wantOwn(t, "Organizations.GetByNum", d.org.ID, func() (string, error) {
			x, err := sc.Organizations().GetByNum(ctx, d.org.Num)
			return realmOf(x, err, func() string { return x.ID })
		})
		us, total, err := sc.Users().List(ctx, store.UserQuery{Username: "Alice"})
		ok(t, err, "list users by username")
		if total != 1 || len(us) != 1 || us[0].ID != d.user.ID {
			t.Errorf("realm %d: List(Username alice) = %v (total %d), want only its own user", i, userIDs(us), total)
		}
	}
}

func realmOf[T any](x *T, err error, field func() string) (string, error) {
	if err != nil {
		return "", err
	}
	return field(), nil
}

func wantOwn(t *testing.T, what, want string, get func() (string, error)) {
	t.Helper()
	got, err := get()
	if err != nil {
		t.Errorf("%s: %v", what, err)
	} else if got != want {
		t.Errorf("%s = %s, want the realm's own record %s", what, got, want)
	}
}

func idOr[T any](x *T, id func(*T) string) string {
	if x == nil {
		return "<nil>"
	}
	return id(x)
}

// testIsolationUnknownRealm: a handle for a realm that does not exist (or a
// malformed realm id) finds nothing and fails with ErrNotFound, not a
// driver error.
func testIsolationUnknownRealm(t *testing.T, s store.Store) {
	ctx := t.Context()
	a := buildWorld(t, s, "a")
	for _, rid := range []string{iam.NewID(), "not-a-uuid", ""} {
		sc := s.Realm(rid)
		_, err := sc.Users().Get(ctx, a.user.ID)
		notFound(t, err, "Realm(%q).Users().Get", rid)
		_, err = sc.Users().Find(ctx, a.user.Username)
		notFound(t, err, "Realm(%q).Users().Find", rid)
		us, total, err := sc.Users().List(ctx, store.UserQuery{})
		if err != nil || len(us) != 0 || total != 0 {
			t.Errorf("Realm(%q).Users().List = %d users (total %d), %v; want none, nil", rid, len(us), total, err)
		}
		_, err = sc.Apps().GetByClientID(ctx, a.app.ClientID)
		notFound(t, err, "Realm(%q).Apps().GetByClientID", rid)
		_, err = sc.Codes().Get(ctx, a.code.ID)
		notFound(t, err, "Realm(%q).Codes().Get", rid)
		notFound(t, sc.Users().SoftDelete(ctx, a.user.ID, "x", clock()), "Realm(%q).Users().SoftDelete", rid)
		rbs, err := sc.Riskbits().List(ctx, store.Page{})
		if err != nil || len(rbs) != 0 {
			t.Errorf("Realm(%q).Riskbits().List = %d, %v; want none, nil", rid, len(rbs), err)
		}
	}
}
