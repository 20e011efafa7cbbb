package storetest

import (
	"errors"
	"testing"
	"time"

	"iamd/iam"
	"iamd/store"
)

var isolationCases = []testCase{
	{"OtherRealmCannotReachRecords", testIsolationMethods},
	{"HandleDecidesTheRealm", testIsolationHandleDecides},
	{"SameIdentifiersInTwoRealms", testIsolationSharedIdentifiers},
	{"UnknownRealmHandle", testIsolationUnknownRealm},
}

// isoCheck is one method call that must not reach another realm's data.
// Exactly one of nf, list and zero is set:
//   - nf must return ErrNotFound;
//   - list may return ErrNotFound or ids, none of which may be the victim's;
//   - zero may return ErrNotFound or a count that must be 0.
type isoCheck struct {
	name string
	nf   func() error
	list func() ([]string, error)
	zero func() (int, error)
}

func nfCheck(name string, f func() error) isoCheck { return isoCheck{name: name, nf: f} }

func listCheck(name string, f func() ([]string, error)) isoCheck {
	return isoCheck{name: name, list: f}
}

func zeroCheck(name string, f func() (int, error)) isoCheck { return isoCheck{name: name, zero: f} }

func drop[T any](_ T, err error) error { return err }

// testIsolationMethods calls every realm-scoped method through realm B (or
// an empty realm C) with realm A's ids, and every reference-taking method
// of A with B's ids. Each must answer as if the record did not exist, and
// neither realm may change.
func testIsolationMethods(t *testing.T, s store.Store) {
	ctx := t.Context()
	a := buildWorld(t, s, "a")
	b := buildWorld(t, s, "b")
	c := mkRealm(t, s, "c-empty")
	victim := a.ids()
	sa, sb, sc := s.Realm(a.realm.ID), s.Realm(b.realm.ID), s.Realm(c.ID)
	later := clock().Add(time.Hour)
	far := clock().Add(10 * 365 * 24 * time.Hour)
	all := store.Page{Limit: 1000}

	checks := []isoCheck{
		// Users
		nfCheck("Users.Get", func() error { return drop(sb.Users().Get(ctx, a.user.ID)) }),
		nfCheck("Users.GetByNum", func() error { return drop(sb.Users().GetByNum(ctx, a.user.Num)) }),
		nfCheck("Users.Find(username)", func() error { return drop(sb.Users().Find(ctx, a.user.Username)) }),
		nfCheck("Users.Find(email)", func() error { return drop(sb.Users().Find(ctx, a.user.Email)) }),
		nfCheck("Users.Find(phone)", func() error { return drop(sb.Users().Find(ctx, a.user.Phone)) }),
		listCheck("Users.List", func() ([]string, error) {
			us, _, err := sb.Users().List(ctx, store.UserQuery{IncludeDeleted: true, Page: all})
			return userIDs(us), err
		}),
		listCheck("Users.List(username)", func() ([]string, error) {
			us, _, err := sb.Users().List(ctx, store.UserQuery{Username: a.user.Username})
			return userIDs(us), err
		}),
		listCheck("Users.List(search)", func() ([]string, error) {
			us, _, err := sb.Users().List(ctx, store.UserQuery{Search: "a-alice"})
			return userIDs(us), err
		}),
		nfCheck("Users.Update", func() error {
			u := *a.user
			u.FirstName = "Mallory"
			return sb.Users().Update(ctx, &u)
		}),
		nfCheck("Users.SetLockout", func() error {
			return sb.Users().SetLockout(ctx, a.user.ID, iam.Lockout{Permanent: true})
		}),
		nfCheck("Users.AddFailure", func() error {
			return drop(sb.Users().AddFailure(ctx, a.user.ID, false, later, "198.51.100.1"))
		}),
		nfCheck("Users.SoftDelete", func() error { return sb.Users().SoftDelete(ctx, a.user.ID, "x", later) }),
		nfCheck("Users.Delete", func() error { return sb.Users().Delete(ctx, a.user.ID) }),

		// Credentials
		nfCheck("Credentials.Create(A's user via B)", func() error {
			return sb.Credentials().Create(ctx, &iam.Credential{
				ID: iam.NewID(), RealmID: b.realm.ID, UserID: a.user.ID, Type: iam.CredPassword,
				Secret: "x", CreatedAt: later, UpdatedAt: later,
			})
		}),
		nfCheck("Credentials.Create(B's user via A)", func() error {
			return sa.Credentials().Create(ctx, &iam.Credential{
				ID: iam.NewID(), RealmID: a.realm.ID, UserID: b.user2.ID, Type: iam.CredPassword,
				Secret: "x", CreatedAt: later, UpdatedAt: later,
			})
		}),
		nfCheck("Credentials.Get", func() error { return drop(sb.Credentials().Get(ctx, a.cred.ID)) }),
		listCheck("Credentials.List", func() ([]string, error) {
			cs, err := sb.Credentials().List(ctx, a.user.ID, "")
			return idsOf(cs, func(c *iam.Credential) string { return c.ID }), err
		}),
		nfCheck("Credentials.Update", func() error {
			cr := *a.cred
			cr.Secret = "stolen"
			return sb.Credentials().Update(ctx, &cr)
		}),
		nfCheck("Credentials.Delete", func() error { return sb.Credentials().Delete(ctx, a.cred.ID) }),
		zeroCheck("Credentials.DeleteByType", func() (int, error) {
			return sb.Credentials().DeleteByType(ctx, a.user.ID, iam.CredPassword)
		}),

		// Apps
		nfCheck("Apps.Get", func() error { return drop(sb.Apps().Get(ctx, a.app.ID)) }),
		nfCheck("Apps.GetByNum", func() error { return drop(sb.Apps().GetByNum(ctx, a.app.Num)) }),
		nfCheck("Apps.GetByClientID", func() error { return drop(sb.Apps().GetByClientID(ctx, a.app.ClientID)) }),
		listCheck("Apps.List", func() ([]string, error) {
			as, _, err := sb.Apps().List(ctx, store.AppQuery{IncludeDeleted: true, Page: all})
			return idsOf(as, func(x *iam.App) string { return x.ID }), err
		}),
		listCheck("Apps.List(search)", func() ([]string, error) {
			as, _, err := sb.Apps().List(ctx, store.AppQuery{Search: a.app.ClientID})
			return idsOf(as, func(x *iam.App) string { return x.ID }), err
		}),
		nfCheck("Apps.Update", func() error {
			x := *a.app
			x.Name = "Mallory"
			return sb.Apps().Update(ctx, &x)
		}),
		nfCheck("Apps.SoftDelete", func() error { return sb.Apps().SoftDelete(ctx, a.app.ID, later) }),

		// Roles
		nfCheck("Roles.Create(A's app via B)", func() error {
			return sb.Roles().Create(ctx, &iam.Role{ID: iam.NewID(), RealmID: b.realm.ID, AppID: a.app.ID, Name: "x", CreatedAt: later})
		}),
		nfCheck("Roles.Create(B's app via A)", func() error {
			return sa.Roles().Create(ctx, &iam.Role{ID: iam.NewID(), RealmID: a.realm.ID, AppID: b.app.ID, Name: "x", CreatedAt: later})
		}),
		nfCheck("Roles.Get(realm role)", func() error { return drop(sb.Roles().Get(ctx, a.realmRole.ID)) }),
		nfCheck("Roles.Get(app role)", func() error { return drop(sb.Roles().Get(ctx, a.appRole.ID)) }),
		nfCheck("Roles.GetByName(app role)", func() error {
			return drop(sb.Roles().GetByName(ctx, a.app.ID, a.appRole.Name))
		}),
		nfCheck("Roles.GetByName(realm role)", func() error {
			return drop(sb.Roles().GetByName(ctx, "", a.realmRole.Name))
		}),
		listCheck("Roles.List(realm)", func() ([]string, error) {
			rs, err := sb.Roles().List(ctx, "")
			return idsOf(rs, func(r *iam.Role) string { return r.ID }), err
		}),
		listCheck("Roles.List(A's app)", func() ([]string, error) {
			rs, err := sb.Roles().List(ctx, a.app.ID)
			return idsOf(rs, func(r *iam.Role) string { return r.ID }), err
		}),
		nfCheck("Roles.Update", func() error {
			r := *a.realmRole
			r.Description = "Mallory"
			return sb.Roles().Update(ctx, &r)
		}),
		nfCheck("Roles.Delete", func() error { return sb.Roles().Delete(ctx, a.realmRole.ID) }),
		nfCheck("Roles.Grant(A's user, A's role via B)", func() error {
			return sb.Roles().Grant(ctx, a.user2.ID, a.realmRole.ID)
		}),
		nfCheck("Roles.Grant(B's user, A's role via B)", func() error {
			return sb.Roles().Grant(ctx, b.user2.ID, a.realmRole.ID)
		}),
		nfCheck("Roles.Grant(B's user, A's role via A)", func() error {
			return sa.Roles().Grant(ctx, b.user2.ID, a.realmRole.ID)
		}),
		nfCheck("Roles.Grant(A's user, B's role via A)", func() error {
			return sa.Roles().Grant(ctx, a.user2.ID, b.realmRole.ID)
		}),
		nfCheck("Roles.Grant(A's user, B's role via B)", func() error {
			return sb.Roles().Grant(ctx, a.user2.ID, b.realmRole.ID)
		}),
		nfCheck("Roles.Revoke", func() error { return sb.Roles().Revoke(ctx, a.user.ID, a.realmRole.ID) }),
		listCheck("Roles.OfUser", func() ([]string, error) {
			rs, err := sb.Roles().OfUser(ctx, a.user.ID)
			return idsOf(rs, func(r *iam.Role) string { return r.ID }), err
		}),
		listCheck("Roles.Users", func() ([]string, error) {
			us, err := sb.Roles().Users(ctx, a.realmRole.ID, all)
			return userIDs(us), err
		}),

		// Groups
		nfCheck("Groups.Create(A's parent via B)", func() error {
			return sb.Groups().Create(ctx, &iam.Group{ID: iam.NewID(), RealmID: b.realm.ID, ParentID: a.group.ID, Name: "x", CreatedAt: later})
		}),
		nfCheck("Groups.Create(B's parent via A)", func() error {
			return sa.Groups().Create(ctx, &iam.Group{ID: iam.NewID(), RealmID: a.realm.ID, ParentID: b.group.ID, Name: "x", CreatedAt: later})
		}),
		nfCheck("Groups.Get", func() error { return drop(sb.Groups().Get(ctx, a.group.ID)) }),
		nfCheck("Groups.Get(subgroup)", func() error { return drop(sb.Groups().Get(ctx, a.subgroup.ID)) }),
		listCheck("Groups.List", func() ([]string, error) {
			gs, err := sb.Groups().List(ctx, all)
			return idsOf(gs, func(g *iam.Group) string { return g.ID }), err
		}),
		nfCheck("Groups.Update", func() error {
			g := *a.group
			g.Name = "mallory"
			return sb.Groups().Update(ctx, &g)
		}),
		nfCheck("Groups.Delete", func() error { return sb.Groups().Delete(ctx, a.group.ID) }),
		nfCheck("Groups.AddMember(A's group, A's user via B)", func() error {
			return sb.Groups().AddMember(ctx, a.group.ID, a.user2.ID)
		}),
		nfCheck("Groups.AddMember(A's group, B's user via B)", func() error {
			return sb.Groups().AddMember(ctx, a.group.ID, b.user2.ID)
		}),
		nfCheck("Groups.AddMember(A's group, B's user via A)", func() error {
			return sa.Groups().AddMember(ctx, a.group.ID, b.user2.ID)
		}),
		nfCheck("Groups.AddMember(B's group, A's user via A)", func() error {
			return sa.Groups().AddMember(ctx, b.group.ID, a.user2.ID)
		}),
		nfCheck("Groups.RemoveMember", func() error { return sb.Groups().RemoveMember(ctx, a.group.ID, a.user.ID) }),
		listCheck("Groups.Members", func() ([]string, error) {
			us, err := sb.Groups().Members(ctx, a.group.ID, all)
			return userIDs(us), err
		}),
		listCheck("Groups.OfUser", func() ([]string, error) {
			gs, err := sb.Groups().OfUser(ctx, a.user.ID)
			return idsOf(gs, func(g *iam.Group) string { return g.ID }), err
		}),

		// Organizations
		nfCheck("Organizations.Get", func() error { return drop(sb.Organizations().Get(ctx, a.org.ID)) }),
		nfCheck("Organizations.GetByNum", func() error { return drop(sb.Organizations().GetByNum(ctx, a.org.Num)) }),
		listCheck("Organizations.List", func() ([]string, error) {
			os, _, err := sb.Organizations().List(ctx, "", all)
			return idsOf(os, func(o *iam.Organization) string { return o.ID }), err
		}),
		listCheck("Organizations.List(search)", func() ([]string, error) {
			os, _, err := sb.Organizations().List(ctx, a.org.Name, all)
			return idsOf(os, func(o *iam.Organization) string { return o.ID }), err
		}),
		nfCheck("Organizations.Update", func() error {
			o := *a.org
			o.DisplayName = "Mallory"
			return sb.Organizations().Update(ctx, &o)
		}),
		nfCheck("Organizations.SoftDelete", func() error { return sb.Organizations().SoftDelete(ctx, a.org.ID, later) }),
		nfCheck("Organizations.PutMember(A's org, A's user via B)", func() error {
			return sb.Organizations().PutMember(ctx, &iam.Membership{RealmID: b.realm.ID, OrgID: a.org.ID, UserID: a.user2.ID, Status: "active", CreatedAt: later, UpdatedAt: later})
		}),
		nfCheck("Organizations.PutMember(A's org, B's user via B)", func() error {
			return sb.Organizations().PutMember(ctx, &iam.Membership{RealmID: b.realm.ID, OrgID: a.org.ID, UserID: b.user2.ID, Status: "active", CreatedAt: later, UpdatedAt: later})
		}),
		nfCheck("Organizations.PutMember(A's org, B's user via A)", func() error {
			return sa.Organizations().PutMember(ctx, &iam.Membership{RealmID: a.realm.ID, OrgID: a.org.ID, UserID: b.user2.ID, Status: "active", CreatedAt: later, UpdatedAt: later})
		}),
		nfCheck("Organizations.PutMember(B's org, A's user via A)", func() error {
			return sa.Organizations().PutMember(ctx, &iam.Membership{RealmID: a.realm.ID, OrgID: b.org.ID, UserID: a.user2.ID, Status: "active", CreatedAt: later, UpdatedAt: later})
		}),
		nfCheck("Organizations.PutMember(replace A's membership via B)", func() error {
			m := *a.member
			m.Roles = []iam.OrgRole{{App: "portal", Role: "owner"}}
			return sb.Organizations().PutMember(ctx, &m)
		}),
		nfCheck("Organizations.GetMember", func() error {
			return drop(sb.Organizations().GetMember(ctx, a.org.ID, a.user.ID))
		}),
		nfCheck("Organizations.RemoveMember", func() error {
			return sb.Organizations().RemoveMember(ctx, a.org.ID, a.user.ID)
		}),
		listCheck("Organizations.Members", func() ([]string, error) {
			ms, _, err := sb.Organizations().Members(ctx, a.org.ID, all)
			return idsOf(ms, func(m *iam.Membership) string { return m.UserID }), err
		}),
		listCheck("Organizations.OfUser", func() ([]string, error) {
			ms, err := sb.Organizations().OfUser(ctx, a.user.ID)
			return idsOf(ms, func(m *iam.Membership) string { return m.OrgID }), err
		}),

		// Sessions
		nfCheck("Sessions.Get", func() error { return drop(sb.Sessions().Get(ctx, a.session.ID)) }),
		nfCheck("Sessions.Touch", func() error { return sb.Sessions().Touch(ctx, a.session.ID, later, a.org.ID) }),
		nfCheck("Sessions.Revoke", func() error { return sb.Sessions().Revoke(ctx, a.session.ID, later) }),
		zeroCheck("Sessions.RevokeUser", func() (int, error) { return sb.Sessions().RevokeUser(ctx, a.user.ID, later) }),
		listCheck("Sessions.OfUser", func() ([]string, error) {
			ss, err := sb.Sessions().OfUser(ctx, a.user.ID, a.session.CreatedAt.Add(time.Minute))
			return idsOf(ss, func(x *iam.Session) string { return x.ID }), err
		}),

		// Refresh tokens
		nfCheck("RefreshTokens.GetByHash", func() error { return drop(sb.RefreshTokens().GetByHash(ctx, a.token.Hash)) }),
		nfCheck("RefreshTokens.Get", func() error { return drop(sb.RefreshTokens().Get(ctx, a.token.ID)) }),
		nfCheck("RefreshTokens.MarkUsed", func() error {
			return sb.RefreshTokens().MarkUsed(ctx, a.token.ID, iam.NewID(), later)
		}),
		zeroCheck("RefreshTokens.RevokeFamily", func() (int, error) {
			return sb.RefreshTokens().RevokeFamily(ctx, a.token.FamilyID, later)
		}),

		// Codes
		nfCheck("Codes.Get", func() error { return drop(sb.Codes().Get(ctx, a.code.ID)) }),
		nfCheck("Codes.GetByHandle", func() error { return drop(sb.Codes().GetByHandle(ctx, a.code.Handle, a.code.Purpose)) }),
		nfCheck("Codes.GetByHash", func() error { return drop(sb.Codes().GetByHash(ctx, a.code.Hash, a.code.Purpose)) }),
		nfCheck("Codes.SpendAttempt", func() error { return drop(sb.Codes().SpendAttempt(ctx, a.code.ID)) }),
		nfCheck("Codes.Consume", func() error { return sb.Codes().Consume(ctx, a.code.ID, later) }),
		zeroCheck("Codes.DeleteExpired(via empty realm)", func() (int, error) { return sc.Codes().DeleteExpired(ctx, far) }),

		// Invitations
		nfCheck("Invitations.Create(A's org via B)", func() error {
			return sb.Invitations().Create(ctx, &iam.Invitation{ID: iam.NewID(), RealmID: b.realm.ID, OrgID: a.org.ID, Email: "x@example.com", TokenHash: "x-" + iam.NewID(), Status: iam.InvitePending, CreatedAt: later, ExpiresAt: far})
		}),
		nfCheck("Invitations.Create(B's org via A)", func() error {
			return sa.Invitations().Create(ctx, &iam.Invitation{ID: iam.NewID(), RealmID: a.realm.ID, OrgID: b.org.ID, Email: "x@example.com", TokenHash: "x-" + iam.NewID(), Status: iam.InvitePending, CreatedAt: later, ExpiresAt: far})
		}),
		nfCheck("Invitations.Get", func() error { return drop(sb.Invitations().Get(ctx, a.inv.ID)) }),
		nfCheck("Invitations.GetByTokenHash", func() error { return drop(sb.Invitations().GetByTokenHash(ctx, a.inv.TokenHash)) }),
		listCheck("Invitations.List(A's org)", func() ([]string, error) {
			is, err := sb.Invitations().List(ctx, a.org.ID, all)
			return idsOf(is, func(i *iam.Invitation) string { return i.ID }), err
		}),
		listCheck("Invitations.List(all)", func() ([]string, error) {
			is, err := sb.Invitations().List(ctx, "", all)
			return idsOf(is, func(i *iam.Invitation) string { return i.ID }), err
		}),
		nfCheck("Invitations.Update", func() error {
			inv := *a.inv
			inv.Status = iam.InviteAccepted
			inv.UserID = b.user2.ID
			return sb.Invitations().Update(ctx, &inv)
		}),
		nfCheck("Invitations.Delete", func() error { return sb.Invitations().Delete(ctx, a.inv.ID) }),

		// Riskbits
		nfCheck("Riskbits.Get", func() error { return drop(sb.Riskbits().Get(ctx, a.riskbit.ID)) }),
		nfCheck("Riskbits.GetByRisk", func() error { return drop(sb.Riskbits().GetByRisk(ctx, a.riskbit.Risk)) }),
		listCheck("Riskbits.List", func() ([]string, error) {
			rs, err := sb.Riskbits().List(ctx, all)
			return idsOf(rs, func(r *iam.Riskbit) string { return r.ID }), err
		}),
		nfCheck("Riskbits.Update", func() error {
			r := *a.riskbit
			r.Score = 0
			return sb.Riskbits().Update(ctx, &r)
		}),
		nfCheck("Riskbits.Delete", func() error { return sb.Riskbits().Delete(ctx, a.riskbit.ID) }),
		zeroCheck("Riskbits.DeleteAll(via empty realm)", func() (int, error) { return sc.Riskbits().DeleteAll(ctx) }),

		// Events and messages
		listCheck("Events.List", func() ([]string, error) {
			es, err := sb.Events().List(ctx, store.EventQuery{Page: all})
			return idsOf(es, func(e *iam.Event) string { return e.ID }), err
		}),
		listCheck("Events.List(A's user)", func() ([]string, error) {
			es, err := sb.Events().List(ctx, store.EventQuery{UserID: a.user.ID})
			return idsOf(es, func(e *iam.Event) string { return e.ID }), err
		}),
		nfCheck("Messages.Get", func() error { return drop(sb.Messages().Get(ctx, a.msg.ID)) }),
		listCheck("Messages.List", func() ([]string, error) {
			ms, err := sb.Messages().List(ctx, all)
			return idsOf(ms, func(m *iam.Message) string { return m.ID }), err
		}),
	}

	beforeA, beforeB := snap(t, s, a), snap(t, s, b)
	for _, c := range checks {
		t.Run(c.name, func(t *testing.T) {
			runIsoCheck(t, c, victim)
			if afterA := snap(t, s, a); !same(t, "realm A after the call", beforeA, afterA) {
				beforeA = afterA // report each change once
			}
			if afterB := snap(t, s, b); !same(t, "realm B after the call", beforeB, afterB) {
				beforeB = afterB
			}
		})
	}
}

func runIsoCheck(t *testing.T, c isoCheck, victim map[string]bool) {
	t.Helper()
	switch {
	case c.nf != nil:
		notFound(t, c.nf(), "%s of another realm's record", c.name)
	case c.list != nil:
		ids, err := c.list()
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			t.Errorf("%s: want a list (or ErrNotFound), got %v", c.name, err)
		}
		for _, id := range ids {
			if victim[id] {
				t.Errorf("%s shows %s of another realm", c.name, id)
			}
		}
	case c.zero != nil:
		n, err := c.zero()
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			t.Errorf("%s: want 0 (or ErrNotFound), got %v", c.name, err)
		}
		if n != 0 {
			t.Errorf("%s reached %d records of another realm", c.name, n)
		}
	}
}
