package storetest

import (
	"slices"
	"testing"
	"time"

	"iamd/iam"
	"iamd/store"
)

var realmCases = []testCase{
	{"RoundTrip", testRealmRoundTrip},
	{"NameUniqueCaseInsensitive", testRealmNameUnique},
	{"GetByNameCaseInsensitive", testRealmGetByName},
	{"Update", testRealmUpdate},
	{"UpdateTakenName", testRealmUpdateTakenName},
	{"ListPages", testRealmList},
	{"NotFound", testRealmNotFound},
	{"DeleteRemovesEverythingItOwns", testRealmDelete},
}

func fullRealm(name string) *iam.Realm {
	now := clock()
	return &iam.Realm{
		ID: iam.NewID(), Name: name, DisplayName: "The " + name + " realm", Enabled: true,
		Settings: iam.RealmSettings{
			Password:   iam.PasswordPolicy{MinLength: 10, MaxLength: 64, AllowCommon: true, HistoryCount: 3},
			BruteForce: iam.BruteForcePolicy{MaxPasswordFailures: 7, MaxOTPFailures: 3, LockoutDuration: 20 * time.Minute, PermanentLockout: true, MaxAttemptsPerIP: 30},
			Tokens:     iam.TokenLifetimes{AccessToken: 10 * time.Minute, RefreshToken: time.Hour, Session: 12 * time.Hour, Code: 15 * time.Minute},
			SMTP: &iam.SMTPSettings{
				Host: "smtp.example.com", Port: 587, From: "noreply@example.com", FromName: "Example",
				User: "mailer", PasswordEnc: []byte{0, 1, 2, 0xfe, 0xff}, Security: "tls",
			},
			SMS:             &iam.SMSSettings{URL: "https://sms.example.com/send", TokenEnc: []byte{9, 8, 7}, Sender: "Example"},
			PhoneRegion:     "DE",
			RiskbitsEnabled: true,
			Attributes:      map[string]string{"theme": "dark", "äöü": "ß"},
		},
		CreatedAt: now.Add(-time.Hour), UpdatedAt: now,
	}
}

func testRealmRoundTrip(t *testing.T, s store.Store) {
	ctx := t.Context()
	r := fullRealm("acme")
	ok(t, s.Realms().Create(ctx, r), "create realm")
	got, err := s.Realms().Get(ctx, r.ID)
	ok(t, err, "get realm")
	same(t, "Realms.Get", r, got)
	got, err = s.Realms().GetByName(ctx, "acme")
	ok(t, err, "get realm by name")
	same(t, "Realms.GetByName", r, got)

	bare := &iam.Realm{ID: iam.NewID(), Name: "bare", CreatedAt: clock(), UpdatedAt: clock()}
	ok(t, s.Realms().Create(ctx, bare), "create realm with zero settings")
	got, err = s.Realms().Get(ctx, bare.ID)
	ok(t, err, "get bare realm")
	same(t, "realm with zero settings", bare, got)
}

func testRealmNameUnique(t *testing.T, s store.Store) {
	ctx := t.Context()
	mkRealm(t, s, "acme")
	for _, name := range []string{"acme", "Acme", "ACME"} {
		r := &iam.Realm{ID: iam.NewID(), Name: name, CreatedAt: clock(), UpdatedAt: clock()}
		conflict(t, s.Realms().Create(ctx, r), "create realm %q when %q exists", name, "acme")
		_, err := s.Realms().Get(ctx, r.ID)
		notFound(t, err, "get realm %q whose create conflicted", name)
	}
	mkRealm(t, s, "acme2")
}

func testRealmGetByName(t *testing.T, s store.Store) {
	ctx := t.Context()
	r := mkRealm(t, s, "Acme")
	for _, name := range []string{"Acme", "acme", "ACME"} {
		got, err := s.Realms().GetByName(ctx, name)
		if err != nil {
			t.Errorf("GetByName(%q) of realm %q: %v", name, "Acme", err)
		} else if got.ID != r.ID {
			t.Errorf("GetByName(%q) = realm %s, want %s", name, got.ID, r.ID)
		}
	}
	_, err := s.Realms().GetByName(ctx, "acm")
	notFound(t, err, "GetByName of a prefix")
}

func testRealmUpdate(t *testing.T, s store.Store) {
	ctx := t.Context()
	r := mkRealm(t, s, "acme")
	want := fullRealm("Acme-Renamed")
	want.ID, want.CreatedAt = r.ID, r.CreatedAt
	want.Enabled = false
	want.UpdatedAt = clock().Add(time.Minute)

	in := *want
	in.CreatedAt = r.CreatedAt.Add(-48 * time.Hour) // must not be written
	ok(t, s.Realms().Update(ctx, &in), "update realm")
	got, err := s.Realms().Get(ctx, r.ID)
	ok(t, err, "get updated realm")
	same(t, "updated realm (CreatedAt kept)", want, got)

	// Clearing settings must clear them, not keep the old ones.
	cleared := *want
	cleared.Settings = iam.RealmSettings{}
	ok(t, s.Realms().Update(ctx, &cleared), "clear realm settings")
	got, err = s.Realms().Get(ctx, r.ID)
	ok(t, err, "get cleared realm")
	same(t, "realm with cleared settings", &cleared, got)

	// Changing only the case of its own name is not a conflict.
	cleared.Name = "ACME-RENAMED"
	ok(t, s.Realms().Update(ctx, &cleared), "change the case of the realm's own name")

	missing := fullRealm("ghost")
	notFound(t, s.Realms().Update(ctx, missing), "update a realm that does not exist")
}

func testRealmUpdateTakenName(t *testing.T, s store.Store) {
	ctx := t.Context()
	mkRealm(t, s, "acme")
	r := mkRealm(t, s, "globex")
	in := *r
	in.Name = "ACME"
	conflict(t, s.Realms().Update(ctx, &in), "rename realm to a taken name")
	got, err := s.Realms().Get(ctx, r.ID)
	ok(t, err, "get realm")
	same(t, "realm after conflicting update", r, got)
}

func testRealmList(t *testing.T, s store.Store) {
	ctx := t.Context()
	var made []string
	for _, n := range []string{"r1", "r2", "r3", "r4", "r5"} {
		made = append(made, mkRealm(t, s, n).ID)
	}
	all, err := s.Realms().List(ctx, store.Page{Limit: 1000})
	ok(t, err, "list realms")
	ids := idsOf(all, func(r *iam.Realm) string { return r.ID })
	for _, id := range made {
		if !slices.Contains(ids, id) {
			t.Errorf("Realms.List misses realm %s", id)
		}
	}
	sameSet(t, "realm ids (no duplicates)", slices.Compact(slices.Sorted(slices.Values(ids))), ids)

	var paged []string
	for off := 0; off < len(all)+2; off += 2 {
		page, err := s.Realms().List(ctx, store.Page{Offset: off, Limit: 2})
		ok(t, err, "list realms offset %d", off)
		if len(page) > 2 {
			t.Fatalf("Realms.List with Limit 2 returned %d realms", len(page))
		}
		paged = append(paged, idsOf(page, func(r *iam.Realm) string { return r.ID })...)
	}
	sameStrings(t, "realms read in pages of 2 vs in one page", ids, paged)
}

func testRealmNotFound(t *testing.T, s store.Store) {
	ctx := t.Context()
	mkRealm(t, s, "acme")
	for _, id := range []string{iam.NewID(), "not-a-uuid", ""} {
		_, err := s.Realms().Get(ctx, id)
		notFound(t, err, "Realms.Get(%q)", id)
		notFound(t, s.Realms().Delete(ctx, id), "Realms.Delete(%q)", id)
	}
	_, err := s.Realms().GetByName(ctx, "nope")
	notFound(t, err, "Realms.GetByName of an unknown name")
}

func testRealmDelete(t *testing.T, s store.Store) {
	ctx := t.Context()
	a := buildWorld(t, s, "a")
	b := buildWorld(t, s, "b")
	beforeB := snap(t, s, b)

	ok(t, s.Realms().Delete(ctx, a.realm.ID), "delete realm")
	_, err := s.Realms().Get(ctx, a.realm.ID)
	notFound(t, err, "get deleted realm")
	_, err = s.Realms().GetByName(ctx, a.realm.Name)
	notFound(t, err, "get deleted realm by name")
	notFound(t, s.Realms().Delete(ctx, a.realm.ID), "delete the realm again")

	sc := s.Realm(a.realm.ID)
	_, err = sc.Users().Get(ctx, a.user.ID)
	notFound(t, err, "user of deleted realm")
	_, err = sc.Users().GetByNum(ctx, a.user.Num)
	notFound(t, err, "user of deleted realm by num")
	_, err = sc.Credentials().Get(ctx, a.cred.ID)
	notFound(t, err, "credential of deleted realm")
	_, err = sc.Apps().Get(ctx, a.app.ID)
	notFound(t, err, "app of deleted realm")
	_, err = sc.Roles().Get(ctx, a.realmRole.ID)
	notFound(t, err, "role of deleted realm")
	_, err = sc.Groups().Get(ctx, a.group.ID)
	notFound(t, err, "group of deleted realm")
	_, err = sc.Organizations().Get(ctx, a.org.ID)
	notFound(t, err, "organization of deleted realm")
	_, err = sc.Sessions().Get(ctx, a.session.ID)
	notFound(t, err, "session of deleted realm")
	_, err = sc.RefreshTokens().Get(ctx, a.token.ID)
	notFound(t, err, "refresh token of deleted realm")
	_, err = sc.Codes().Get(ctx, a.code.ID)
	notFound(t, err, "code of deleted realm")
	_, err = sc.Invitations().Get(ctx, a.inv.ID)
	notFound(t, err, "invitation of deleted realm")
	_, err = sc.Riskbits().Get(ctx, a.riskbit.ID)
	notFound(t, err, "riskbit of deleted realm")
	_, err = sc.Messages().Get(ctx, a.msg.ID)
	notFound(t, err, "message of deleted realm")
	evs, err := sc.Events().List(ctx, store.EventQuery{})
	ok(t, err, "list events of deleted realm")
	if len(evs) != 0 {
		t.Errorf("deleted realm still has %d events", len(evs))
	}
	n, err := s.Outbox().Pending(ctx)
	ok(t, err, "pending")
	if n != 1 {
		t.Errorf("Outbox.Pending after deleting a realm = %d, want 1 (the other realm's message)", n)
	}

	same(t, "other realm after deleting one", beforeB, snap(t, s, b))
	mkRealm(t, s, a.realm.Name) // the name is free again
}
