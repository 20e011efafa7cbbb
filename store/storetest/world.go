package storetest

import (
	"testing"
	"time"

	"iamd/iam"
	"iamd/store"
)

// world is one realm holding one record of every kind, linked the way real
// data is: alice has a credential, both roles, a group, an organization,
// a session with a refresh token, and a code; bob is a second, bare user.
type world struct {
	realm              *iam.Realm
	user, user2        *iam.User
	cred               *iam.Credential
	app                *iam.App
	realmRole, appRole *iam.Role
	group, subgroup    *iam.Group
	org                *iam.Organization
	member             *iam.Membership
	session            *iam.Session
	token              *iam.RefreshToken
	code               *iam.OneTimeCode
	inv                *iam.Invitation
	riskbit            *iam.Riskbit
	event              *iam.Event
	msg                *iam.Message
}

// buildWorld creates a world whose names all start with p.
func buildWorld(t *testing.T, tx store.Tx, p string) *world {
	t.Helper()
	ctx := t.Context()
	now := clock()
	w := &world{realm: mkRealm(t, tx, p+"-realm")}
	rid := w.realm.ID
	sc := tx.Realm(rid)
	w.user = mkUser(t, tx, rid, p+"-alice", func(u *iam.User) {
		u.Phone, u.FirstName, u.LastName = newPhone(), "Alice", "Liddell"
	})
	w.user2 = mkUser(t, tx, rid, p+"-bob")
	w.cred = &iam.Credential{
		ID: iam.NewID(), RealmID: rid, UserID: w.user.ID, Type: iam.CredPassword,
		Secret: "$argon2id$v=19$m=65536,t=3,p=4$c2FsdA$aGFzaA", CreatedAt: now, UpdatedAt: now,
	}
	ok(t, sc.Credentials().Create(ctx, w.cred), "create credential")
	w.app = mkApp(t, tx, rid, p+"-portal")
	w.realmRole = mkRole(t, tx, rid, "", p+"-admin")
	w.appRole = mkRole(t, tx, rid, w.app.ID, p+"-viewer")
	ok(t, sc.Roles().Grant(ctx, w.user.ID, w.realmRole.ID), "grant realm role")
	ok(t, sc.Roles().Grant(ctx, w.user.ID, w.appRole.ID), "grant app role")
	w.group = mkGroup(t, tx, rid, "", p+"-staff")
	w.subgroup = mkGroup(t, tx, rid, w.group.ID, p+"-ops")
	ok(t, sc.Groups().AddMember(ctx, w.group.ID, w.user.ID), "add group member")
	w.org = mkOrg(t, tx, rid, p+"-corp")
	w.member = mkMember(t, tx, rid, w.org.ID, w.user.ID, now)
	w.session = mkSession(t, tx, rid, w.user.ID)
	w.token = mkToken(t, tx, w.session, iam.NewID())
	w.code = mkCode(t, tx, rid, w.user.ID, iam.PurposeVerifyEmail, 3)
	w.inv = &iam.Invitation{
		ID: iam.NewID(), RealmID: rid, OrgID: w.org.ID, Email: p + "-invitee@example.com",
		Roles: []iam.OrgRole{{App: "portal", Role: "member"}}, InvitedBy: w.user.ID,
		TokenHash: "inv-" + iam.NewID(), Status: iam.InvitePending, CreatedAt: now, ExpiresAt: now.Add(24 * time.Hour),
	}
	ok(t, sc.Invitations().Create(ctx, w.inv), "create invitation")
	w.riskbit = &iam.Riskbit{
		ID: iam.NewID(), RealmID: rid, Risk: p + "-rooted", RatingLevel: "high", Score: 80,
		RiskAndroid: "root", RiskIOS: "jailbreak", Operation: "deny", CreatedAt: now,
	}
	ok(t, sc.Riskbits().Create(ctx, w.riskbit), "create riskbit")
	w.event = &iam.Event{
		ID: iam.NewID(), RealmID: rid, Type: iam.EventUserCreated, UserID: w.user.ID, ActorID: w.user2.ID,
		AppID: w.app.ID, IP: "192.0.2.7", Detail: map[string]string{"source": "storetest"}, CreatedAt: now,
	}
	ok(t, sc.Events().Append(ctx, w.event), "append event")
	w.msg = mkMessage(t, tx, rid, now)
	return w
}

// ids returns every record id of the world (and the ids its lists show).
func (w *world) ids() map[string]bool {
	m := map[string]bool{}
	for _, id := range []string{
		w.realm.ID, w.user.ID, w.user2.ID, w.cred.ID, w.app.ID, w.realmRole.ID, w.appRole.ID,
		w.group.ID, w.subgroup.ID, w.org.ID, w.session.ID, w.token.ID, w.code.ID, w.inv.ID,
		w.riskbit.ID, w.event.ID, w.msg.ID,
	} {
		m[id] = true
	}
	return m
}

// snapshot is everything a realm's handle shows about a world. Errors are
// recorded in it rather than stopping the test, so a damaged world shows
// up as a difference.
type snapshot struct {
	Realm        *iam.Realm
	Users        []*iam.User
	Creds        []*iam.Credential
	Apps         []*iam.App
	RealmRoles   []*iam.Role
	AppRoles     []*iam.Role
	Grants       []*iam.Role
	RoleUsers    []*iam.User
	Groups       []*iam.Group
	Subgroup     *iam.Group
	GroupMembers []*iam.User
	UserGroups   []*iam.Group
	Orgs         []*iam.Organization
	OrgTotal     int
	Member       *iam.Membership
	Members      []*iam.Membership
	UserOrgs     []*iam.Membership
	Session      *iam.Session
	Sessions     []*iam.Session
	Token        *iam.RefreshToken
	Code         *iam.OneTimeCode
	Invitation   *iam.Invitation
	Invitations  []*iam.Invitation
	Riskbits     []*iam.Riskbit
	Events       []*iam.Event
	Message      *iam.Message
	Messages     []*iam.Message
	Errors       []string
}

func snap(t *testing.T, s store.Tx, w *world) *snapshot {
	t.Helper()
	ctx := t.Context()
	sc := s.Realm(w.realm.ID)
	all := store.Page{Limit: 1000}
	out := &snapshot{}
	note := func(what string, err error) {
		if err != nil {
			out.Errors = append(out.Errors, what+": "+err.Error())
		}
	}
	var err error
	out.Realm, err = s.Realms().Get(ctx, w.realm.ID)
	note("realm", err)
	out.Users, _, err = sc.Users().List(ctx, store.UserQuery{IncludeDeleted: true, Page: all})
	note("users", err)
	out.Creds, err = sc.Credentials().List(ctx, w.user.ID, "")
	note("credentials", err)
	out.Apps, _, err = sc.Apps().List(ctx, store.AppQuery{IncludeDeleted: true, Page: all})
	note("apps", err)
	out.RealmRoles, err = sc.Roles().List(ctx, "")
	note("realm roles", err)
	out.AppRoles, err = sc.Roles().List(ctx, w.app.ID)
	note("app roles", err)
	out.Grants, err = sc.Roles().OfUser(ctx, w.user.ID)
	note("grants", err)
	out.RoleUsers, err = sc.Roles().Users(ctx, w.realmRole.ID, all)
	note("role users", err)
	out.Groups, err = sc.Groups().List(ctx, all)
	note("groups", err)
	out.Subgroup, err = sc.Groups().Get(ctx, w.subgroup.ID)
	note("subgroup", err)
	out.GroupMembers, err = sc.Groups().Members(ctx, w.group.ID, all)
	note("group members", err)
	out.UserGroups, err = sc.Groups().OfUser(ctx, w.user.ID)
	note("user groups", err)
	out.Orgs, out.OrgTotal, err = sc.Organizations().List(ctx, "", all)
	note("organizations", err)
	out.Member, err = sc.Organizations().GetMember(ctx, w.org.ID, w.user.ID)
	note("member", err)
	out.Members, _, err = sc.Organizations().Members(ctx, w.org.ID, all)
	note("members", err)
	out.UserOrgs, err = sc.Organizations().OfUser(ctx, w.user.ID)
	note("user organizations", err)
	out.Session, err = sc.Sessions().Get(ctx, w.session.ID)
	note("session", err)
	out.Sessions, err = sc.Sessions().OfUser(ctx, w.user.ID, w.session.CreatedAt.Add(time.Minute))
	note("sessions of user", err)
	out.Token, err = sc.RefreshTokens().Get(ctx, w.token.ID)
	note("refresh token", err)
	out.Code, err = sc.Codes().Get(ctx, w.code.ID)
	note("code", err)
	out.Invitation, err = sc.Invitations().Get(ctx, w.inv.ID)
	note("invitation", err)
	out.Invitations, err = sc.Invitations().List(ctx, "", all)
	note("invitations", err)
	out.Riskbits, err = sc.Riskbits().List(ctx, all)
	note("riskbits", err)
	out.Events, err = sc.Events().List(ctx, store.EventQuery{Page: all})
	note("events", err)
	out.Message, err = sc.Messages().Get(ctx, w.msg.ID)
	note("message", err)
	out.Messages, err = sc.Messages().List(ctx, all)
	note("messages", err)
	return out
}
