package authn_test

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"

	"iamd/iam"
	"iamd/seal"
)

const totpTestSeed = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"

func (f *fixture) addTOTP(u *iam.User, secret string, data map[string]string) *iam.Credential {
	f.t.Helper()
	now := f.clock()
	c := &iam.Credential{ID: iam.NewID(), RealmID: f.realm.ID, UserID: u.ID, Type: iam.CredTOTP, Secret: secret, Data: data, CreatedAt: now, UpdatedAt: now}
	if err := f.store.Realm(f.realm.ID).Credentials().Create(context.Background(), c); err != nil {
		f.t.Fatal(err)
	}
	return c
}

func totpAt(t *testing.T, at time.Time) string {
	t.Helper()
	c, err := totp.GenerateCode(totpTestSeed, at)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestTOTPAcceptsEachCodeOnceWithinSkew(t *testing.T) {
	f := newFixture(t, iam.BruteForcePolicy{MaxOTPFailures: 100})
	ctx := context.Background()
	u := f.user("mia", "Correct-Horse-9")
	if has, err := f.auth.HasTOTP(ctx, f.realm, u.ID); err != nil || has {
		t.Fatalf("no credential yet: %v %v", has, err)
	}
	wantCode(t, f.auth.VerifyTOTP(ctx, f.realm, u.ID, "123456", ""), iam.CodePrecondition)
	f.addTOTP(u, totpTestSeed, nil)
	if has, _ := f.auth.HasTOTP(ctx, f.realm, u.ID); !has {
		t.Fatal("HasTOTP after enrolment")
	}
	now := f.clock()
	// Two steps away is refused, one step behind is accepted.
	wantCode(t, f.auth.VerifyTOTP(ctx, f.realm, u.ID, totpAt(t, now.Add(-60*time.Second)), ""), iam.CodeUnauthorized)
	if err := f.auth.VerifyTOTP(ctx, f.realm, u.ID, totpAt(t, now.Add(-30*time.Second)), ""); err != nil {
		t.Fatalf("previous step: %v", err)
	}
	cur := totpAt(t, now)
	if err := f.auth.VerifyTOTP(ctx, f.realm, u.ID, cur[:3]+" "+cur[3:], ""); err != nil {
		t.Fatalf("current step, typed with a space: %v", err)
	}
	// The same code again, and an older step after a newer one, are replays.
	wantCode(t, f.auth.VerifyTOTP(ctx, f.realm, u.ID, cur, ""), iam.CodeUnauthorized)
	wantCode(t, f.auth.VerifyTOTP(ctx, f.realm, u.ID, totpAt(t, now.Add(-30*time.Second)), ""), iam.CodeUnauthorized)
	f.advance(30 * time.Second)
	if err := f.auth.VerifyTOTP(ctx, f.realm, u.ID, totpAt(t, f.clock()), ""); err != nil {
		t.Fatalf("next step: %v", err)
	}
	wantCode(t, f.auth.VerifyTOTP(ctx, f.realm, u.ID, "", ""), iam.CodeInvalid)
}

func TestTOTPFailuresLockTheUser(t *testing.T) {
	f := newFixture(t, iam.BruteForcePolicy{MaxOTPFailures: 3})
	ctx := context.Background()
	u := f.user("noah", "Correct-Horse-9")
	f.addTOTP(u, totpTestSeed, nil)
	good := totpAt(t, f.clock())
	bad := "000000"
	if bad == good {
		bad = "111111"
	}
	for i := 0; i < 2; i++ {
		wantCode(t, f.auth.VerifyTOTP(ctx, f.realm, u.ID, bad, ""), iam.CodeUnauthorized)
	}
	wantCode(t, f.auth.VerifyTOTP(ctx, f.realm, u.ID, bad, ""), iam.CodeLocked)
	// Locked: even the right code is refused, and it is not spent.
	wantCode(t, f.auth.VerifyTOTP(ctx, f.realm, u.ID, good, ""), iam.CodeLocked)
	f.advance(16 * time.Minute)
	if err := f.auth.VerifyTOTP(ctx, f.realm, u.ID, totpAt(t, f.clock()), ""); err != nil {
		t.Fatalf("after the lock expired: %v", err)
	}
}

func TestTOTPSealedSeedAndRaceHasOneWinner(t *testing.T) {
	f := newFixture(t, iam.BruteForcePolicy{MaxOTPFailures: 100})
	ctx := context.Background()
	key := make([]byte, seal.KeySize)
	_, _ = rand.Read(key)
	box, err := seal.New(key)
	if err != nil {
		t.Fatal(err)
	}
	f.auth.Unseal = func(b []byte) ([]byte, error) { return box.Open(b, nil) }
	u := f.user("olga", "Correct-Horse-9")
	f.addTOTP(u, base64.StdEncoding.EncodeToString(box.Seal([]byte(totpTestSeed), nil)), map[string]string{"digits": "6"})
	code := totpAt(t, f.clock())
	var wins atomic.Int32
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		wg.Go(func() {
			err := f.auth.VerifyTOTP(ctx, f.realm, u.ID, code, "")
			switch iam.ErrorCode(err) {
			case "":
				wins.Add(1)
			case iam.CodeUnauthorized:
			default:
				t.Errorf("unexpected: %v", err)
			}
		})
	}
	wg.Wait()
	if wins.Load() != 1 {
		t.Fatalf("one code, %d acceptances", wins.Load())
	}
	// A seed stored in clear is not a sealed value: refused as internal.
	v := f.user("piet", "Correct-Horse-9")
	f.addTOTP(v, totpTestSeed, nil)
	wantCode(t, f.auth.VerifyTOTP(ctx, f.realm, v.ID, code, ""), iam.CodeInternal)
}
