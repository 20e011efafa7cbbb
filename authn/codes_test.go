package authn_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"iamd/authn"
	"iamd/iam"
	"iamd/store"
)

func mustBcrypt(t *testing.T, pw string) string {
	t.Helper()
	h, err := bcrypt.GenerateFromPassword([]byte(pw), bcrypt.MinCost)
	if err != nil {
		t.Fatal(err)
	}
	return string(h)
}

// A sign-up that fails after issuing its code leaves no user, no code and
// no message; one that succeeds leaves all three.
func TestCodeAndMessageCommitWithTheirState(t *testing.T) {
	f := newFixture(t, iam.BruteForcePolicy{})
	ctx := context.Background()
	signup := func(name string, fail bool) (*iam.User, *authn.IssuedCode, error) {
		var u *iam.User
		var ic *authn.IssuedCode
		err := f.store.InTx(ctx, func(tx store.Tx) error {
			now := f.clock()
			u = &iam.User{ID: iam.NewID(), RealmID: f.realm.ID, Username: name, Email: name + "@example.com", Enabled: true, CreatedAt: now, UpdatedAt: now}
			if err := tx.Realm(f.realm.ID).Users().Create(ctx, u); err != nil {
				return err
			}
			var err error
			ic, err = f.auth.IssueCode(ctx, tx, authn.CodeRequest{Realm: f.realm, UserID: u.ID, Purpose: iam.PurposeVerifyEmail, Channel: iam.ChannelEmail, To: u.Email, Username: name})
			if err != nil {
				return err
			}
			if fail {
				return errors.New("simulated crash after the code")
			}
			return nil
		})
		return u, ic, err
	}
	u, ic, err := signup("frank", true)
	if err == nil {
		t.Fatal("want the simulated failure")
	}
	sc := f.store.Realm(f.realm.ID)
	if _, err := sc.Users().Get(ctx, u.ID); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("user survived a rolled back sign-up: %v", err)
	}
	if _, err := sc.Codes().Get(ctx, ic.Code.ID); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("code survived: %v", err)
	}
	if n, _ := f.store.Outbox().Pending(ctx); n != 0 {
		t.Fatalf("message survived: %d pending", n)
	}

	u, ic, err = signup("frank", false)
	if err != nil {
		t.Fatal(err)
	}
	msgs, err := f.store.Outbox().Claim(ctx, f.clock(), 0, 10)
	if err != nil || len(msgs) != 1 {
		t.Fatalf("want the verification message in the outbox: %d %v", len(msgs), err)
	}
	m := msgs[0]
	if m.To != "frank@example.com" || m.Code != ic.Clear || !strings.Contains(m.Text, ic.Clear) || m.Purpose != iam.PurposeVerifyEmail {
		t.Fatalf("message: %+v", m)
	}
	// Only a keyed hash is stored.
	c, _ := sc.Codes().Get(ctx, ic.Code.ID)
	if strings.Contains(c.Hash, ic.Clear) || c.Hash == "" {
		t.Fatalf("code stored in clear: %q", c.Hash)
	}

	_, err = f.auth.VerifyCode(ctx, f.realm, ic.Code.Handle, iam.PurposeVerifyEmail, "not-it", "")
	wantCode(t, err, iam.CodeUnauthorized)
	got, err := f.auth.VerifyCode(ctx, f.realm, ic.Code.Handle, iam.PurposeVerifyEmail, ic.Clear, "")
	if err != nil || got.UserID != u.ID {
		t.Fatalf("right code: %v", err)
	}
	_, err = f.auth.VerifyCode(ctx, f.realm, ic.Code.Handle, iam.PurposeVerifyEmail, ic.Clear, "")
	wantCode(t, err, iam.CodePrecondition)
	// A handle of this realm means nothing in another.
	other, _ := f.dir.CreateRealm(ctx, "other", "")
	_, err = f.auth.VerifyCode(ctx, other, ic.Code.Handle, iam.PurposeVerifyEmail, ic.Clear, "")
	wantCode(t, err, iam.CodeNotFound)
}

func TestCodeExpiresAndAttemptsRunOut(t *testing.T) {
	f := newFixture(t, iam.BruteForcePolicy{MaxOTPFailures: 100})
	ctx := context.Background()
	issue := func(attempts int) *authn.IssuedCode {
		var ic *authn.IssuedCode
		_ = f.store.InTx(ctx, func(tx store.Tx) error {
			var err error
			ic, err = f.auth.IssueCode(ctx, tx, authn.CodeRequest{Realm: f.realm, Purpose: iam.PurposeSignIn, Channel: iam.ChannelEmail, To: "x@example.com", Attempts: attempts})
			return err
		})
		return ic
	}
	ic := issue(2)
	for i := 0; i < 2; i++ {
		_, err := f.auth.VerifyCode(ctx, f.realm, ic.Code.Handle, iam.PurposeSignIn, "bad", "")
		wantCode(t, err, iam.CodeUnauthorized)
	}
	_, err := f.auth.VerifyCode(ctx, f.realm, ic.Code.Handle, iam.PurposeSignIn, ic.Clear, "")
	wantCode(t, err, iam.CodePrecondition)

	ic = issue(5)
	f.advance(11 * 60e9)
	_, err = f.auth.VerifyCode(ctx, f.realm, ic.Code.Handle, iam.PurposeSignIn, ic.Clear, "")
	wantCode(t, err, iam.CodeExpired)
}

func TestCorrectCodeRaceHasOneWinner(t *testing.T) {
	f := newFixture(t, iam.BruteForcePolicy{})
	ctx := context.Background()
	var ic *authn.IssuedCode
	if err := f.store.InTx(ctx, func(tx store.Tx) error {
		var err error
		ic, err = f.auth.IssueCode(ctx, tx, authn.CodeRequest{Realm: f.realm, Purpose: iam.PurposeSignIn, Channel: iam.ChannelSMS, To: "+15550001111", Attempts: 20})
		return err
	}); err != nil {
		t.Fatal(err)
	}
	var wins, used atomic.Int32
	var wg sync.WaitGroup
	for i := 0; i < 10; i++ {
		wg.Go(func() {
			_, err := f.auth.VerifyCode(ctx, f.realm, ic.Code.Handle, iam.PurposeSignIn, ic.Clear, "")
			switch iam.ErrorCode(err) {
			case "":
				wins.Add(1)
			case iam.CodePrecondition:
				used.Add(1)
			default:
				t.Errorf("unexpected: %v", err)
			}
		})
	}
	wg.Wait()
	if wins.Load() != 1 || used.Load() != 9 {
		t.Fatalf("want 1 winner and 9 already-used, got %d and %d", wins.Load(), used.Load())
	}
}

func TestSweepRemovesOnlyExpiredCodes(t *testing.T) {
	f := newFixture(t, iam.BruteForcePolicy{})
	ctx := context.Background()
	issue := func() *authn.IssuedCode {
		var ic *authn.IssuedCode
		if err := f.store.InTx(ctx, func(tx store.Tx) error {
			var err error
			ic, err = f.auth.IssueCode(ctx, tx, authn.CodeRequest{Realm: f.realm, Purpose: iam.PurposeSignIn, Channel: iam.ChannelEmail, To: "x@example.com"})
			return err
		}); err != nil {
			t.Fatal(err)
		}
		return ic
	}
	old := issue()
	f.advance(9 * time.Minute)
	fresh := issue()
	f.advance(2 * time.Minute) // old expired (10 min), fresh has 8 left
	n, err := f.auth.SweepExpired(ctx)
	if err != nil || n != 1 {
		t.Fatalf("swept %d, %v; want 1", n, err)
	}
	sc := f.store.Realm(f.realm.ID)
	if _, err := sc.Codes().Get(ctx, old.Code.ID); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("expired code still stored: %v", err)
	}
	if _, err := f.auth.VerifyCode(ctx, f.realm, fresh.Code.Handle, iam.PurposeSignIn, fresh.Clear, ""); err != nil {
		t.Fatalf("fresh code swept: %v", err)
	}
}
