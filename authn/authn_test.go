package authn_test

import (
	"context"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"iamd/authn"
	"iamd/authn/password"
	"iamd/directory"
	"iamd/iam"
	"iamd/notify"
	"iamd/store"
	"iamd/store/sqlstore/sqlite"
)

// fixture is a real SQLite store with the services on top and a clock the
// test moves.
type fixture struct {
	t     *testing.T
	store store.Store
	dir   *directory.Service
	auth  *authn.Service
	realm *iam.Realm
	mu    sync.Mutex
	now   time.Time
}

func newFixture(t *testing.T, bf iam.BruteForcePolicy) *fixture {
	t.Helper()
	ctx := context.Background()
	st, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "iamd.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	f := &fixture{t: t, store: st, now: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)}
	h := password.New(password.Params{Memory: 1024, Time: 1, Threads: 1}, 0)
	f.dir = &directory.Service{Store: st, Passwords: h, Now: f.clock}
	f.auth = &authn.Service{Store: st, Passwords: h, Directory: f.dir, Now: f.clock, Templates: &notify.Templates{}, CodeKey: []byte("test key")}
	f.realm, err = f.dir.CreateRealm(ctx, "acme", "Acme")
	if err != nil {
		t.Fatal(err)
	}
	f.realm.Settings.BruteForce = bf
	if err := st.Realms().Update(ctx, f.realm); err != nil {
		t.Fatal(err)
	}
	return f
}

func (f *fixture) clock() time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.now
}

func (f *fixture) advance(d time.Duration) {
	f.mu.Lock()
	f.now = f.now.Add(d)
	f.mu.Unlock()
}

func (f *fixture) user(name, pw string) *iam.User {
	f.t.Helper()
	u, err := f.dir.CreateUser(context.Background(), f.realm, directory.NewUser{Username: name, Password: pw, Email: name + "@example.com"}, "")
	if err != nil {
		f.t.Fatal(err)
	}
	return u
}

func wantCode(t *testing.T, err error, code iam.Code) {
	t.Helper()
	if iam.ErrorCode(err) != code {
		t.Fatalf("want %s, got %v", code, err)
	}
}

func TestPasswordSignIn(t *testing.T) {
	f := newFixture(t, iam.BruteForcePolicy{})
	ctx := context.Background()
	alice := f.user("alice", "correct-horse-battery")

	for _, login := range []string{"alice", "ALICE", "Alice@Example.com"} {
		u, err := f.auth.PasswordSignIn(ctx, f.realm, login, "correct-horse-battery", "10.0.0.1")
		if err != nil || u.ID != alice.ID {
			t.Fatalf("sign in as %q: %v", login, err)
		}
	}
	_, errWrong := f.auth.PasswordSignIn(ctx, f.realm, "alice", "wrong-password", "10.0.0.1")
	_, errUnknown := f.auth.PasswordSignIn(ctx, f.realm, "mallory", "wrong-password", "10.0.0.1")
	wantCode(t, errWrong, iam.CodeUnauthorized)
	wantCode(t, errUnknown, iam.CodeUnauthorized)
	if iam.ErrorMessage(errWrong) != iam.ErrorMessage(errUnknown) {
		t.Fatalf("wrong password and unknown user must read the same: %q vs %q", errWrong, errUnknown)
	}

	// The user of one realm does not exist in another.
	other, err := f.dir.CreateRealm(ctx, "other", "")
	if err != nil {
		t.Fatal(err)
	}
	_, err = f.auth.PasswordSignIn(ctx, other, "alice", "correct-horse-battery", "10.0.0.1")
	wantCode(t, err, iam.CodeUnauthorized)

	alice.Enabled = false
	if err := f.store.Realm(f.realm.ID).Users().Update(ctx, alice); err != nil {
		t.Fatal(err)
	}
	_, err = f.auth.PasswordSignIn(ctx, f.realm, "alice", "correct-horse-battery", "10.0.0.1")
	wantCode(t, err, iam.CodeForbidden)
}

func TestLockoutAfterFailuresExpiresAndUnlocks(t *testing.T) {
	f := newFixture(t, iam.BruteForcePolicy{MaxPasswordFailures: 3, LockoutDuration: 10 * time.Minute})
	ctx := context.Background()
	bob := f.user("bob", "correct-horse-battery")

	for i := 1; i <= 2; i++ {
		_, err := f.auth.PasswordSignIn(ctx, f.realm, "bob", "nope-nope-nope", "10.0.0.2")
		wantCode(t, err, iam.CodeUnauthorized)
	}
	st, err := f.auth.Status(ctx, f.realm, bob.ID)
	if err != nil || st.Locked || st.PasswordFailures != 2 || st.OTPFailures != 0 {
		t.Fatalf("after 2 failures: %+v %v", st, err)
	}
	_, err = f.auth.PasswordSignIn(ctx, f.realm, "bob", "nope-nope-nope", "10.0.0.2")
	wantCode(t, err, iam.CodeLocked)
	// Locked: even the right password is refused, with a clear error.
	_, err = f.auth.PasswordSignIn(ctx, f.realm, "bob", "correct-horse-battery", "10.0.0.2")
	wantCode(t, err, iam.CodeLocked)
	if st, _ := f.auth.Status(ctx, f.realm, bob.ID); !st.Locked {
		t.Fatalf("status should show the lock: %+v", st)
	}

	// The lock expires by itself.
	f.advance(10*time.Minute + time.Second)
	if _, err := f.auth.PasswordSignIn(ctx, f.realm, "bob", "correct-horse-battery", "10.0.0.2"); err != nil {
		t.Fatalf("after the lock expired: %v", err)
	}

	// Lock again, then an administrator unlocks at once.
	for i := 0; i < 3; i++ {
		_, _ = f.auth.PasswordSignIn(ctx, f.realm, "bob", "nope-nope-nope", "10.0.0.2")
	}
	_, err = f.auth.PasswordSignIn(ctx, f.realm, "bob", "correct-horse-battery", "10.0.0.2")
	wantCode(t, err, iam.CodeLocked)
	if err := f.dir.UnlockUser(ctx, f.realm, bob.ID, "admin-1"); err != nil {
		t.Fatal(err)
	}
	if _, err := f.auth.PasswordSignIn(ctx, f.realm, "bob", "correct-horse-battery", "10.0.0.2"); err != nil {
		t.Fatalf("after admin unlock: %v", err)
	}
	events, err := f.store.Realm(f.realm.ID).Events().List(ctx, store.EventQuery{UserID: bob.ID, Type: iam.EventUserLocked})
	if err != nil || len(events) != 2 {
		t.Fatalf("want 2 lock events, got %d %v", len(events), err)
	}
}

func TestPasswordAndOTPFailuresCountApart(t *testing.T) {
	f := newFixture(t, iam.BruteForcePolicy{MaxPasswordFailures: 10, MaxOTPFailures: 2})
	ctx := context.Background()
	carol := f.user("carol", "correct-horse-battery")
	_, _ = f.auth.PasswordSignIn(ctx, f.realm, "carol", "nope-nope-nope", "")

	issue := func() *authn.IssuedCode {
		var ic *authn.IssuedCode
		err := f.store.InTx(ctx, func(tx store.Tx) error {
			var err error
			ic, err = f.auth.IssueCode(ctx, tx, authn.CodeRequest{Realm: f.realm, UserID: carol.ID, Purpose: iam.PurposeMFA, Channel: iam.ChannelSMS, To: "+4915100000000", Attempts: 10})
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		return ic
	}
	ic := issue()
	_, err := f.auth.VerifyCode(ctx, f.realm, ic.Code.Handle, iam.PurposeMFA, "000000x", "")
	wantCode(t, err, iam.CodeUnauthorized)
	st, _ := f.auth.Status(ctx, f.realm, carol.ID)
	if st.PasswordFailures != 1 || st.OTPFailures != 1 || st.Locked {
		t.Fatalf("counters: %+v", st)
	}
	_, err = f.auth.VerifyCode(ctx, f.realm, ic.Code.Handle, iam.PurposeMFA, "000000x", "")
	wantCode(t, err, iam.CodeLocked)
	// Locked by OTP failures: password sign-in is refused too.
	_, err = f.auth.PasswordSignIn(ctx, f.realm, "carol", "correct-horse-battery", "")
	wantCode(t, err, iam.CodeLocked)
}

func TestImportedHashIsUpgradedOnSignIn(t *testing.T) {
	f := newFixture(t, iam.BruteForcePolicy{})
	ctx := context.Background()
	dave := f.user("dave", "")
	// A bcrypt hash as another system stored it.
	h := mustBcrypt(t, "imported-secret-1")
	now := f.clock()
	cred := &iam.Credential{ID: iam.NewID(), RealmID: f.realm.ID, UserID: dave.ID, Type: iam.CredPassword, Secret: h, CreatedAt: now, UpdatedAt: now}
	if err := f.store.Realm(f.realm.ID).Credentials().Create(ctx, cred); err != nil {
		t.Fatal(err)
	}
	if _, err := f.auth.PasswordSignIn(ctx, f.realm, "dave", "imported-secret-1", ""); err != nil {
		t.Fatalf("imported bcrypt hash should verify: %v", err)
	}
	got, err := f.store.Realm(f.realm.ID).Credentials().Get(ctx, cred.ID)
	if err != nil || got.Secret[:10] != "$argon2id$" {
		t.Fatalf("hash not upgraded: %q %v", got.Secret, err)
	}
	if _, err := f.auth.PasswordSignIn(ctx, f.realm, "dave", "imported-secret-1", ""); err != nil {
		t.Fatalf("upgraded hash should verify: %v", err)
	}
}

func TestThrottlePerIP(t *testing.T) {
	f := newFixture(t, iam.BruteForcePolicy{})
	f.auth.Throttle = &authn.Throttle{PerMinute: 3, Burst: 3}
	ctx := context.Background()
	f.user("erin", "correct-horse-battery")
	for i := 0; i < 3; i++ {
		if _, err := f.auth.PasswordSignIn(ctx, f.realm, "erin", "correct-horse-battery", "192.0.2.7"); err != nil {
			t.Fatal(err)
		}
	}
	_, err := f.auth.PasswordSignIn(ctx, f.realm, "erin", "correct-horse-battery", "192.0.2.7")
	wantCode(t, err, iam.CodeRateLimited)
	// Another address is not affected.
	if _, err := f.auth.PasswordSignIn(ctx, f.realm, "erin", "correct-horse-battery", "192.0.2.8"); err != nil {
		t.Fatal(err)
	}
}
