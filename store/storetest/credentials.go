package storetest

import (
	"testing"
	"time"

	"iamd/iam"
	"iamd/store"
)

var credentialCases = []testCase{
	{"RoundTrip", testCredentialRoundTrip},
	{"CreateNeedsUserOfRealm", testCredentialNeedsUser},
	{"ListNewestFirstByType", testCredentialList},
	{"Update", testCredentialUpdate},
	{"Delete", testCredentialDelete},
	{"DeleteByType", testCredentialDeleteByType},
	{"FindSocial", testCredentialFindSocial},
}

func newCredential(realmID, userID, typ string, created time.Time) *iam.Credential {
	return &iam.Credential{
		ID: iam.NewID(), RealmID: realmID, UserID: userID, Type: typ, Label: typ + " label",
		Secret: "secret-" + iam.NewID(), Data: map[string]string{"algorithm": "argon2id", "n": "1"},
		CreatedAt: created, UpdatedAt: created,
	}
}

func testCredentialRoundTrip(t *testing.T, s store.Store) {
	ctx := t.Context()
	r := mkRealm(t, s, "acme")
	u := mkUser(t, s, r.ID, "alice")
	creds := s.Realm(r.ID).Credentials()
	c := newCredential(r.ID, u.ID, iam.CredTOTP, clock())
	c.UpdatedAt = c.CreatedAt.Add(time.Second)
	ok(t, creds.Create(ctx, c), "create")
	got, err := creds.Get(ctx, c.ID)
	ok(t, err, "get")
	same(t, "Credentials.Get", c, got)
	list, err := creds.List(ctx, u.ID, "")
	ok(t, err, "list")
	if len(list) != 1 {
		t.Fatalf("List = %d credentials, want 1", len(list))
	}
	same(t, "Credentials.List", c, list[0])

	bare := &iam.Credential{ID: iam.NewID(), RealmID: r.ID, UserID: u.ID, Type: iam.CredSocial, CreatedAt: clock(), UpdatedAt: clock()}
	ok(t, creds.Create(ctx, bare), "create a bare credential")
	got, err = creds.Get(ctx, bare.ID)
	ok(t, err, "get")
	same(t, "bare credential", bare, got)
	_, err = creds.Get(ctx, "not-a-uuid")
	notFound(t, err, "Credentials.Get(malformed id)")
}

func testCredentialNeedsUser(t *testing.T, s store.Store) {
	ctx := t.Context()
	r := mkRealm(t, s, "acme")
	creds := s.Realm(r.ID).Credentials()
	c := newCredential(r.ID, iam.NewID(), iam.CredPassword, clock())
	notFound(t, creds.Create(ctx, c), "credential for a user that does not exist")
	_, err := creds.Get(ctx, c.ID)
	notFound(t, err, "get the refused credential")
}

func testCredentialList(t *testing.T, s store.Store) {
	ctx := t.Context()
	r := mkRealm(t, s, "acme")
	alice, bob := mkUser(t, s, r.ID, "alice"), mkUser(t, s, r.ID, "bob")
	creds := s.Realm(r.ID).Credentials()
	t0 := clock()
	mk := func(u *iam.User, typ string, at time.Duration) string {
		c := newCredential(r.ID, u.ID, typ, t0.Add(at))
		ok(t, creds.Create(ctx, c), "create")
		return c.ID
	}
	rc1 := mk(alice, iam.CredRecoveryCode, time.Second)
	pw := mk(alice, iam.CredPassword, 0)
	rc2 := mk(alice, iam.CredRecoveryCode, 3*time.Second)
	totp := mk(alice, iam.CredTOTP, 2*time.Second)
	mk(bob, iam.CredPassword, 4*time.Second)

	list, err := creds.List(ctx, alice.ID, "")
	ok(t, err, "list all")
	sameStrings(t, "alice's credentials, newest first", []string{rc2, totp, rc1, pw}, idsOf(list, credID))
	list, err = creds.List(ctx, alice.ID, iam.CredRecoveryCode)
	ok(t, err, "list recovery codes")
	sameStrings(t, "alice's recovery codes, newest first", []string{rc2, rc1}, idsOf(list, credID))
	list, err = creds.List(ctx, alice.ID, iam.CredSocial)
	ok(t, err, "list social")
	if len(list) != 0 {
		t.Errorf("List of a type the user has none of = %d credentials", len(list))
	}
}

func credID(c *iam.Credential) string { return c.ID }

func testCredentialUpdate(t *testing.T, s store.Store) {
	ctx := t.Context()
	r := mkRealm(t, s, "acme")
	u := mkUser(t, s, r.ID, "alice")
	creds := s.Realm(r.ID).Credentials()
	c := newCredential(r.ID, u.ID, iam.CredPassword, clock())
	ok(t, creds.Create(ctx, c), "create")

	in := *c
	in.Label, in.Secret, in.Data, in.UpdatedAt = "new label", "new-secret", map[string]string{"rehashed": "yes"}, c.UpdatedAt.Add(time.Hour)
	in.Type, in.CreatedAt = iam.CredTOTP, c.CreatedAt.Add(-time.Hour) // not written
	ok(t, creds.Update(ctx, &in), "update")
	want := *c
	want.Label, want.Secret, want.Data, want.UpdatedAt = in.Label, in.Secret, in.Data, in.UpdatedAt
	got, err := creds.Get(ctx, c.ID)
	ok(t, err, "get")
	same(t, "credential after Update (Type and CreatedAt kept)", &want, got)

	in.Data = nil
	ok(t, creds.Update(ctx, &in), "clear data")
	got, err = creds.Get(ctx, c.ID)
	ok(t, err, "get")
	if len(got.Data) != 0 {
		t.Errorf("Update with nil Data kept %v", got.Data)
	}
	ghost := newCredential(r.ID, u.ID, iam.CredPassword, clock())
	notFound(t, creds.Update(ctx, ghost), "update a missing credential")
}

func testCredentialDelete(t *testing.T, s store.Store) {
	ctx := t.Context()
	r := mkRealm(t, s, "acme")
	u := mkUser(t, s, r.ID, "alice")
	creds := s.Realm(r.ID).Credentials()
	c := newCredential(r.ID, u.ID, iam.CredPassword, clock())
	keep := newCredential(r.ID, u.ID, iam.CredTOTP, clock())
	ok(t, creds.Create(ctx, c), "create")
	ok(t, creds.Create(ctx, keep), "create")
	ok(t, creds.Delete(ctx, c.ID), "delete")
	_, err := creds.Get(ctx, c.ID)
	notFound(t, err, "get a deleted credential")
	notFound(t, creds.Delete(ctx, c.ID), "delete twice")
	notFound(t, creds.Delete(ctx, "not-a-uuid"), "delete a malformed id")
	_, err = creds.Get(ctx, keep.ID)
	ok(t, err, "the other credential survives")
}

func testCredentialDeleteByType(t *testing.T, s store.Store) {
	ctx := t.Context()
	r := mkRealm(t, s, "acme")
	alice, bob := mkUser(t, s, r.ID, "alice"), mkUser(t, s, r.ID, "bob")
	creds := s.Realm(r.ID).Credentials()
	for range 3 {
		ok(t, creds.Create(ctx, newCredential(r.ID, alice.ID, iam.CredRecoveryCode, clock())), "create")
	}
	pw := newCredential(r.ID, alice.ID, iam.CredPassword, clock())
	ok(t, creds.Create(ctx, pw), "create")
	bobs := newCredential(r.ID, bob.ID, iam.CredRecoveryCode, clock())
	ok(t, creds.Create(ctx, bobs), "create")

	n, err := creds.DeleteByType(ctx, alice.ID, iam.CredRecoveryCode)
	ok(t, err, "delete by type")
	if n != 3 {
		t.Errorf("DeleteByType returned %d, want 3", n)
	}
	list, err := creds.List(ctx, alice.ID, "")
	ok(t, err, "list")
	sameStrings(t, "alice's credentials left", []string{pw.ID}, idsOf(list, credID))
	_, err = creds.Get(ctx, bobs.ID)
	ok(t, err, "bob's recovery code survives")
	n, err = creds.DeleteByType(ctx, alice.ID, iam.CredRecoveryCode)
	ok(t, err, "delete by type again")
	if n != 0 {
		t.Errorf("second DeleteByType returned %d, want 0", n)
	}
}

// testCredentialFindSocial: a social identity (provider, subject) is found
// exactly, only in its realm, and links to one user at most.
func testCredentialFindSocial(t *testing.T, s store.Store) {
	ctx := t.Context()
	r, other := mkRealm(t, s, "acme"), mkRealm(t, s, "other")
	alice, bob := mkUser(t, s, r.ID, "alice"), mkUser(t, s, r.ID, "bob")
	creds := s.Realm(r.ID).Credentials()
	social := func(u *iam.User, provider, subject string) *iam.Credential {
		c := newCredential(r.ID, u.ID, iam.CredSocial, clock())
		c.Label, c.Secret, c.Data = provider, subject, map[string]string{"email": u.Username + "@example.com"}
		return c
	}
	ga := social(alice, "GOOGLE", "sub-1")
	ok(t, creds.Create(ctx, ga), "create")
	ok(t, creds.Create(ctx, social(bob, "APPLE", "sub-1")), "same subject at another provider")
	ok(t, creds.Create(ctx, newCredential(r.ID, bob.ID, iam.CredPassword, clock())), "create")

	got, err := creds.FindSocial(ctx, "GOOGLE", "sub-1")
	ok(t, err, "find")
	same(t, "FindSocial", ga, got)
	for _, k := range [][2]string{{"GOOGLE", "SUB-1"}, {"google", "sub-1"}, {"GOOGLE", "sub-2"}, {"GOOGLE", ""}, {"password label", ""}} {
		_, err = creds.FindSocial(ctx, k[0], k[1])
		notFound(t, err, "FindSocial(%q, %q)", k[0], k[1])
	}
	_, err = s.Realm(other.ID).Credentials().FindSocial(ctx, "GOOGLE", "sub-1")
	notFound(t, err, "FindSocial from another realm")
	conflict(t, creds.Create(ctx, social(bob, "GOOGLE", "sub-1")), "a second user with the same identity")
	conflict(t, creds.Create(ctx, social(alice, "GOOGLE", "sub-1")), "the same identity twice")
	carol := mkUser(t, s, other.ID, "carol")
	oc := newCredential(other.ID, carol.ID, iam.CredSocial, clock())
	oc.Label, oc.Secret = "GOOGLE", "sub-1"
	ok(t, s.Realm(other.ID).Credentials().Create(ctx, oc), "the same identity in another realm")
}
