package storetest

import (
	"testing"
	"time"

	"iamd/iam"
	"iamd/store"
)

var keyCases = []testCase{
	{"RoundTrip", testKeyRoundTrip},
	{"IDUnique", testKeyIDUnique},
	{"NewestFirst", testKeyOrder},
	{"Retire", testKeyRetire},
	{"Delete", testKeyDelete},
	{"OtherRealmCannotReach", testKeyIsolation},
	{"RealmDeleteRemovesKeys", testKeyRealmDelete},
}

// newKey returns a key whose material holds the bytes that trip up naive
// encodings (NUL, 0xff, invalid UTF-8).
func newKey(realmID, alg string, created time.Time) *iam.SigningKey {
	id := iam.NewSecret(16)
	return &iam.SigningKey{
		ID: id, RealmID: realmID, Alg: alg,
		PrivateEnc: []byte("\x01sealed\x00\xff\xfe" + id),
		Public:     []byte("\x30\x59\x00\xc3\x28" + id),
		CreatedAt:  created,
	}
}

func mkKey(t *testing.T, tx store.Tx, realmID, alg string, created time.Time) *iam.SigningKey {
	t.Helper()
	k := newKey(realmID, alg, created)
	ok(t, tx.Realm(realmID).Keys().Create(t.Context(), k), "create %s key", alg)
	return k
}

func keyID(k *iam.SigningKey) string { return k.ID }

func listKeys(t *testing.T, tx store.Tx, realmID string) []*iam.SigningKey {
	t.Helper()
	list, err := tx.Realm(realmID).Keys().List(t.Context())
	ok(t, err, "list keys")
	return list
}

func testKeyRoundTrip(t *testing.T, s store.Store) {
	r := mkRealm(t, s, "acme")
	now := clock()
	cur := mkKey(t, s, r.ID, "ES256", now)
	old := newKey(r.ID, "RS256", now.Add(-time.Hour))
	old.RetiredAt, old.ExpiresAt = ptr(now.Add(-time.Minute)), ptr(now.Add(24*time.Hour))
	old.RealmID = "" // Create sets it
	ok(t, s.Realm(r.ID).Keys().Create(t.Context(), old), "create retired key")
	if old.RealmID != r.ID {
		t.Errorf("Create set RealmID %q, want %q", old.RealmID, r.ID)
	}
	list := listKeys(t, s, r.ID)
	if len(list) != 2 {
		t.Fatalf("List returned %d keys, want 2", len(list))
	}
	same(t, "current key", cur, list[0])
	same(t, "retired key", old, list[1])
}

func testKeyIDUnique(t *testing.T, s store.Store) {
	r := mkRealm(t, s, "acme")
	k := mkKey(t, s, r.ID, "ES256", clock())
	dup := newKey(r.ID, "RS256", clock())
	dup.ID = k.ID
	conflict(t, s.Realm(r.ID).Keys().Create(t.Context(), dup), "create a key with a taken id")
	list := listKeys(t, s, r.ID)
	if len(list) != 1 {
		t.Fatalf("after a conflicting create: %d keys, want 1", len(list))
	}
	same(t, "the first key after a conflicting create", k, list[0])
}

func testKeyOrder(t *testing.T, s store.Store) {
	r := mkRealm(t, s, "acme")
	now := clock()
	mid := mkKey(t, s, r.ID, "ES256", now)
	oldest := mkKey(t, s, r.ID, "RS256", now.Add(-time.Hour))
	newest := mkKey(t, s, r.ID, "ES256", now.Add(time.Minute))
	twinA, twinB := newKey(r.ID, "RS256", now.Add(-time.Minute)), newKey(r.ID, "ES256", now.Add(-time.Minute))
	twinA.ID, twinB.ID = "kid-a-"+twinA.ID, "kid-b-"+twinB.ID
	for _, k := range []*iam.SigningKey{twinB, twinA} {
		ok(t, s.Realm(r.ID).Keys().Create(t.Context(), k), "create twin")
	}
	sameStrings(t, "keys newest first, ties by id",
		[]string{newest.ID, mid.ID, twinA.ID, twinB.ID, oldest.ID}, idsOf(listKeys(t, s, r.ID), keyID))
}

func testKeyRetire(t *testing.T, s store.Store) {
	ctx := t.Context()
	r := mkRealm(t, s, "acme")
	keys := s.Realm(r.ID).Keys()
	k := mkKey(t, s, r.ID, "ES256", clock())
	other := mkKey(t, s, r.ID, "RS256", clock().Add(-time.Second))
	at, expires := clock().Add(time.Minute), clock().Add(25*time.Hour)
	ok(t, keys.Retire(ctx, k.ID, at, expires), "retire")
	want := *k
	want.RetiredAt, want.ExpiresAt = &at, &expires
	list := listKeys(t, s, r.ID)
	if len(list) != 2 {
		t.Fatalf("List returned %d keys, want 2", len(list))
	}
	same(t, "retired key", &want, list[0])
	same(t, "the other key (untouched)", other, list[1])

	conflict(t, keys.Retire(ctx, k.ID, at.Add(time.Hour), expires.Add(time.Hour)), "retire twice")
	same(t, "key retired twice keeps its first expiry", &want, listKeys(t, s, r.ID)[0])
	notFound(t, keys.Retire(ctx, "no-such-kid", at, expires), "retire a missing key")
}

func testKeyDelete(t *testing.T, s store.Store) {
	ctx := t.Context()
	r := mkRealm(t, s, "acme")
	keys := s.Realm(r.ID).Keys()
	k := mkKey(t, s, r.ID, "ES256", clock())
	keep := mkKey(t, s, r.ID, "RS256", clock())
	ok(t, keys.Delete(ctx, k.ID), "delete")
	sameStrings(t, "keys after delete", []string{keep.ID}, idsOf(listKeys(t, s, r.ID), keyID))
	notFound(t, keys.Delete(ctx, k.ID), "delete twice")
	notFound(t, keys.Retire(ctx, k.ID, clock(), clock()), "retire a deleted key")
}

func testKeyIsolation(t *testing.T, s store.Store) {
	ctx := t.Context()
	a, b := mkRealm(t, s, "a"), mkRealm(t, s, "b")
	ka := mkKey(t, s, a.ID, "ES256", clock())
	kb := mkKey(t, s, b.ID, "ES256", clock())
	sb := s.Realm(b.ID).Keys()
	sameStrings(t, "realm b lists only its own keys", []string{kb.ID}, idsOf(listKeys(t, s, b.ID), keyID))
	notFound(t, sb.Retire(ctx, ka.ID, clock(), clock()), "retire realm a's key through realm b")
	notFound(t, sb.Delete(ctx, ka.ID), "delete realm a's key through realm b")
	sameStrings(t, "an unknown realm has no keys", nil, idsOf(listKeys(t, s, iam.NewID()), keyID))
	list := listKeys(t, s, a.ID)
	if len(list) != 1 {
		t.Fatalf("realm a has %d keys after realm b's attempts, want 1", len(list))
	}
	same(t, "realm a's key after realm b's attempts", ka, list[0])
	dup := newKey(b.ID, "RS256", clock())
	dup.ID = ka.ID
	conflict(t, sb.Create(ctx, dup), "create in realm b a key with realm a's id")
	same(t, "realm a's key after the clash", ka, listKeys(t, s, a.ID)[0])
}

func testKeyRealmDelete(t *testing.T, s store.Store) {
	ctx := t.Context()
	a, b := mkRealm(t, s, "a"), mkRealm(t, s, "b")
	ka := mkKey(t, s, a.ID, "ES256", clock())
	mkKey(t, s, a.ID, "RS256", clock())
	kb := mkKey(t, s, b.ID, "ES256", clock())
	ok(t, s.Realms().Delete(ctx, a.ID), "delete realm a")
	sameStrings(t, "keys of the deleted realm", nil, idsOf(listKeys(t, s, a.ID), keyID))
	sameStrings(t, "keys of the other realm", []string{kb.ID}, idsOf(listKeys(t, s, b.ID), keyID))
	// The id is free again only if the row is gone, not merely hidden.
	again := newKey(b.ID, "ES256", clock())
	again.ID = ka.ID
	ok(t, s.Realm(b.ID).Keys().Create(ctx, again), "reuse the id of a deleted realm's key")
}
