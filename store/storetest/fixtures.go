package storetest

import (
	"fmt"
	"testing"
	"time"

	"iamd/iam"
	"iamd/store"
)

// The mk* helpers create a record with plausible fields through tx (a
// store or a transaction) and stop the test if that fails.

func mkRealm(t *testing.T, tx store.Tx, name string) *iam.Realm {
	t.Helper()
	now := clock()
	r := &iam.Realm{ID: iam.NewID(), Name: name, DisplayName: name, Enabled: true, CreatedAt: now, UpdatedAt: now}
	ok(t, tx.Realms().Create(t.Context(), r), "create realm %q", name)
	return r
}

func newUser(realmID, username string) *iam.User {
	now := clock()
	return &iam.User{
		ID: iam.NewID(), RealmID: realmID, Username: username,
		Email: username + "@example.com", Enabled: true,
		CreatedAt: now, UpdatedAt: now,
	}
}

func mkUser(t *testing.T, tx store.Tx, realmID, username string, edit ...func(*iam.User)) *iam.User {
	t.Helper()
	u := newUser(realmID, username)
	for _, e := range edit {
		e(u)
	}
	ok(t, tx.Realm(realmID).Users().Create(t.Context(), u), "create user %q", username)
	return u
}

func newApp(realmID, clientID string) *iam.App {
	now := clock()
	return &iam.App{
		ID: iam.NewID(), RealmID: realmID, ClientID: clientID, Name: "App " + clientID,
		Enabled: true, GrantTypes: []string{iam.GrantAuthorizationCode, iam.GrantRefreshToken},
		RedirectURIs: []string{"https://" + clientID + ".example.com/cb"},
		CreatedAt:    now, UpdatedAt: now,
	}
}

func mkApp(t *testing.T, tx store.Tx, realmID, clientID string) *iam.App {
	t.Helper()
	a := newApp(realmID, clientID)
	ok(t, tx.Realm(realmID).Apps().Create(t.Context(), a), "create app %q", clientID)
	return a
}

func mkRole(t *testing.T, tx store.Tx, realmID, appID, name string) *iam.Role {
	t.Helper()
	r := &iam.Role{ID: iam.NewID(), RealmID: realmID, AppID: appID, Name: name, CreatedAt: clock()}
	ok(t, tx.Realm(realmID).Roles().Create(t.Context(), r), "create role %q", name)
	return r
}

func mkGroup(t *testing.T, tx store.Tx, realmID, parentID, name string) *iam.Group {
	t.Helper()
	g := &iam.Group{ID: iam.NewID(), RealmID: realmID, ParentID: parentID, Name: name, CreatedAt: clock()}
	ok(t, tx.Realm(realmID).Groups().Create(t.Context(), g), "create group %q", name)
	return g
}

func mkOrg(t *testing.T, tx store.Tx, realmID, name string) *iam.Organization {
	t.Helper()
	now := clock()
	o := &iam.Organization{ID: iam.NewID(), RealmID: realmID, Name: name, DisplayName: name, CreatedAt: now, UpdatedAt: now}
	ok(t, tx.Realm(realmID).Organizations().Create(t.Context(), o), "create organization %q", name)
	return o
}

func mkMember(t *testing.T, tx store.Tx, realmID, orgID, userID string, created time.Time) *iam.Membership {
	t.Helper()
	m := &iam.Membership{
		RealmID: realmID, OrgID: orgID, UserID: userID, Status: "active",
		Roles:     []iam.OrgRole{{App: "portal", Role: "member"}},
		CreatedAt: created, UpdatedAt: created,
	}
	ok(t, tx.Realm(realmID).Organizations().PutMember(t.Context(), m), "put member")
	return m
}

func newSession(realmID, userID string, created time.Time) *iam.Session {
	return &iam.Session{
		ID: iam.NewID(), RealmID: realmID, UserID: userID, AMR: []string{"pwd"},
		IP: "192.0.2.1", UserAgent: "storetest", CreatedAt: created, LastSeenAt: created,
		ExpiresAt: created.Add(10 * time.Hour),
	}
}

func mkSession(t *testing.T, tx store.Tx, realmID, userID string) *iam.Session {
	t.Helper()
	s := newSession(realmID, userID, clock())
	ok(t, tx.Realm(realmID).Sessions().Create(t.Context(), s), "create session")
	return s
}

func newToken(s *iam.Session, familyID, parentID string) *iam.RefreshToken {
	now := clock()
	return &iam.RefreshToken{
		ID: iam.NewID(), RealmID: s.RealmID, SessionID: s.ID, FamilyID: familyID, ParentID: parentID,
		Hash: "hash-" + iam.NewID(), UserID: s.UserID, Scope: "openid",
		CreatedAt: now, ExpiresAt: now.Add(time.Hour),
	}
}

func mkToken(t *testing.T, tx store.Tx, s *iam.Session, familyID string) *iam.RefreshToken {
	t.Helper()
	rt := newToken(s, familyID, "")
	ok(t, tx.Realm(s.RealmID).RefreshTokens().Create(t.Context(), rt), "create refresh token")
	return rt
}

func newCode(realmID, userID, purpose string, attempts int) *iam.OneTimeCode {
	now := clock()
	return &iam.OneTimeCode{
		ID: iam.NewID(), RealmID: realmID, UserID: userID, Purpose: purpose,
		Target: "someone@example.com", Hash: "hash-" + iam.NewID(), Handle: "handle-" + iam.NewID(),
		AttemptsLeft: attempts, CreatedAt: now, ExpiresAt: now.Add(10 * time.Minute),
	}
}

func mkCode(t *testing.T, tx store.Tx, realmID, userID, purpose string, attempts int) *iam.OneTimeCode {
	t.Helper()
	c := newCode(realmID, userID, purpose, attempts)
	ok(t, tx.Realm(realmID).Codes().Create(t.Context(), c), "create code")
	return c
}

func newMessage(realmID, to string, created time.Time) *iam.Message {
	return &iam.Message{
		ID: iam.NewID(), RealmID: realmID, Channel: iam.ChannelEmail, To: to,
		Subject: "Your code", Text: "code 123456", HTML: "<p>code 123456</p>",
		Purpose: iam.PurposeVerifyEmail, Code: "123456", Link: "https://example.com/verify?t=abc",
		NextAttemptAt: created, CreatedAt: created,
	}
}

func mkMessage(t *testing.T, tx store.Tx, realmID string, created time.Time) *iam.Message {
	t.Helper()
	m := newMessage(realmID, fmt.Sprintf("to-%s@example.com", iam.NewID()[:8]), created)
	ok(t, tx.Realm(realmID).Messages().Enqueue(t.Context(), m), "enqueue message")
	return m
}
