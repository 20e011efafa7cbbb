package storetest

import (
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"iamd/iam"
	"iamd/store"
)

var concurrencyCases = []testCase{
	{"SameUsername", testRaceSameUsername},
	{"SameUsernameCheckThenCreateInTx", testRaceSameUsernameTx},
	{"DistinctUsersInTx", testRaceDistinctUsersTx},
	{"SpendAttempt", testRaceSpendAttempt},
	{"Consume", testRaceConsume},
	{"MarkUsed", testRaceMarkUsed},
	{"AddFailure", testRaceAddFailure},
	{"GrantIsIdempotent", testRaceGrant},
	{"PutMemberUpserts", testRacePutMember},
	{"ClaimDeliversOnce", testRaceClaim},
}

const racers = 20

// testRaceSameUsername: 20 callers create the same username (in three
// spellings) at once; exactly one wins and the others get ErrConflict.
func testRaceSameUsername(t *testing.T, s store.Store) {
	ctx := t.Context()
	r := mkRealm(t, s, "acme")
	users := s.Realm(r.ID).Users()
	errs := race(racers, func(i int) error {
		u := newUser(r.ID, []string{"alice", "Alice", "ALICE"}[i%3])
		u.Email = fmt.Sprintf("alice%d@example.com", i)
		return users.Create(ctx, u)
	})
	wins, conflicts := outcomes(t, errs, "concurrent Create of one username")
	if wins != 1 || conflicts != racers-1 {
		t.Errorf("concurrent Create of one username: %d succeeded, %d conflicted; want 1 and %d", wins, conflicts, racers-1)
	}
	_, total, err := users.List(ctx, store.UserQuery{IncludeDeleted: true})
	ok(t, err, "list")
	if total != 1 {
		t.Errorf("after the race the realm has %d users, want 1", total)
	}
}

// testRaceSameUsernameTx is the use-case shape: in a transaction, look the
// login up, create the user, enqueue a welcome message.
func testRaceSameUsernameTx(t *testing.T, s store.Store) {
	ctx := t.Context()
	r := mkRealm(t, s, "acme")
	errs := race(racers, func(i int) error {
		return s.InTx(ctx, func(tx store.Tx) error {
			sc := tx.Realm(r.ID)
			if _, err := sc.Users().Find(ctx, "alice"); err == nil {
				return store.ErrConflict
			} else if !errors.Is(err, store.ErrNotFound) {
				return err
			}
			u := newUser(r.ID, "alice")
			u.Email = fmt.Sprintf("alice%d@example.com", i)
			if err := sc.Users().Create(ctx, u); err != nil {
				return err
			}
			return sc.Messages().Enqueue(ctx, newMessage(r.ID, u.Email, clock()))
		})
	})
	wins, conflicts := outcomes(t, errs, "concurrent sign-up transactions")
	if wins != 1 || conflicts != racers-1 {
		t.Errorf("concurrent sign-up transactions: %d succeeded, %d conflicted; want 1 and %d", wins, conflicts, racers-1)
	}
	n, err := s.Outbox().Pending(ctx)
	ok(t, err, "pending")
	if n != 1 {
		t.Errorf("after the race %d messages are pending, want 1 (the winner's)", n)
	}
}

func testRaceDistinctUsersTx(t *testing.T, s store.Store) {
	ctx := t.Context()
	r := mkRealm(t, s, "acme")
	nums := make([]int64, racers)
	errs := race(racers, func(i int) error {
		return s.InTx(ctx, func(tx store.Tx) error {
			sc := tx.Realm(r.ID)
			name := fmt.Sprintf("user%02d", i)
			if _, err := sc.Users().Find(ctx, name); !errors.Is(err, store.ErrNotFound) {
				return fmt.Errorf("Find before create: %v", err)
			}
			u := newUser(r.ID, name)
			if err := sc.Users().Create(ctx, u); err != nil {
				return err
			}
			nums[i] = u.Num
			return sc.Messages().Enqueue(ctx, newMessage(r.ID, u.Email, clock()))
		})
	})
	for i, err := range errs {
		if err != nil {
			t.Errorf("transaction %d creating its own user: %v", i, err)
		}
	}
	_, total, err := s.Realm(r.ID).Users().List(ctx, store.UserQuery{})
	ok(t, err, "list")
	if total != racers {
		t.Errorf("after %d concurrent transactions the realm has %d users", racers, total)
	}
	n, err := s.Outbox().Pending(ctx)
	ok(t, err, "pending")
	if n != racers {
		t.Errorf("after %d concurrent transactions %d messages are pending", racers, n)
	}
	slices.Sort(nums)
	if len(slices.Compact(slices.Clone(nums))) != len(nums) {
		t.Errorf("concurrently created users share a Num: %v", nums)
	}
}

func testRaceSpendAttempt(t *testing.T, s store.Store) {
	ctx := t.Context()
	r := mkRealm(t, s, "acme")
	codes := s.Realm(r.ID).Codes()
	c := mkCode(t, s, r.ID, "", iam.PurposeSignIn, 5)
	left := make([]int, racers)
	errs := race(racers, func(i int) error {
		n, err := codes.SpendAttempt(ctx, c.ID)
		left[i] = n
		return err
	})
	wins, conflicts := outcomes(t, errs, "concurrent SpendAttempt")
	if wins != 5 || conflicts != racers-5 {
		t.Errorf("20 concurrent SpendAttempt on 5 attempts: %d succeeded, %d conflicted; want 5 and 15", wins, conflicts)
	}
	var got []int
	for i, err := range errs {
		if err == nil {
			got = append(got, left[i])
		}
	}
	slices.Sort(got)
	if !slices.Equal(got, []int{0, 1, 2, 3, 4}) {
		t.Errorf("remainders returned to the winners = %v, want each of 0..4 once", got)
	}
	stored, err := codes.Get(ctx, c.ID)
	ok(t, err, "get")
	if stored.AttemptsLeft != 0 {
		t.Errorf("AttemptsLeft after the race = %d, want 0", stored.AttemptsLeft)
	}
}

func testRaceConsume(t *testing.T, s store.Store) {
	ctx := t.Context()
	r := mkRealm(t, s, "acme")
	codes := s.Realm(r.ID).Codes()
	c := mkCode(t, s, r.ID, "", iam.PurposeMagicLink, 1)
	at := clock()
	errs := race(10, func(i int) error { return codes.Consume(ctx, c.ID, at.Add(time.Duration(i)*time.Millisecond)) })
	wins, conflicts := outcomes(t, errs, "concurrent Consume")
	if wins != 1 || conflicts != 9 {
		t.Errorf("10 concurrent Consume: %d succeeded, %d conflicted; want 1 and 9", wins, conflicts)
	}
	got, err := codes.Get(ctx, c.ID)
	ok(t, err, "get")
	for i, err := range errs {
		if err == nil {
			if want := at.Add(time.Duration(i) * time.Millisecond); got.ConsumedAt == nil || !got.ConsumedAt.Equal(want) {
				t.Errorf("ConsumedAt = %v, want the winner's %v", got.ConsumedAt, want)
			}
		}
	}
}

func testRaceMarkUsed(t *testing.T, s store.Store) {
	ctx := t.Context()
	r := mkRealm(t, s, "acme")
	u := mkUser(t, s, r.ID, "alice")
	sess := mkSession(t, s, r.ID, u.ID)
	tok := mkToken(t, s, sess, iam.NewID())
	tokens := s.Realm(r.ID).RefreshTokens()
	succ := make([]string, 10)
	for i := range succ {
		succ[i] = iam.NewID()
	}
	errs := race(10, func(i int) error { return tokens.MarkUsed(ctx, tok.ID, succ[i], clock()) })
	wins, conflicts := outcomes(t, errs, "concurrent MarkUsed")
	if wins != 1 || conflicts != 9 {
		t.Errorf("10 concurrent MarkUsed: %d succeeded, %d conflicted; want 1 and 9", wins, conflicts)
	}
	got, err := tokens.Get(ctx, tok.ID)
	ok(t, err, "get")
	for i, err := range errs {
		if err == nil && got.SuccessorID != succ[i] {
			t.Errorf("SuccessorID = %s, want the winner's %s", got.SuccessorID, succ[i])
		}
	}
}

func testRaceAddFailure(t *testing.T, s store.Store) {
	ctx := t.Context()
	r := mkRealm(t, s, "acme")
	users := s.Realm(r.ID).Users()
	u := mkUser(t, s, r.ID, "alice")
	seen := make([]iam.Lockout, 2*racers)
	errs := race(2*racers, func(i int) error {
		l, err := users.AddFailure(ctx, u.ID, i%2 == 1, clock(), "198.51.100.1")
		seen[i] = l
		return err
	})
	var pw, otp []int
	for i, err := range errs {
		if err != nil {
			t.Errorf("concurrent AddFailure %d: %v", i, err)
			continue
		}
		if i%2 == 1 {
			otp = append(otp, seen[i].OTPFailures)
		} else {
			pw = append(pw, seen[i].PasswordFailures)
		}
	}
	want := make([]int, racers)
	for i := range want {
		want[i] = i + 1
	}
	slices.Sort(pw)
	slices.Sort(otp)
	if !slices.Equal(pw, want) {
		t.Errorf("password counts returned by concurrent AddFailure = %v, want each of 1..%d once", pw, racers)
	}
	if !slices.Equal(otp, want) {
		t.Errorf("OTP counts returned by concurrent AddFailure = %v, want each of 1..%d once", otp, racers)
	}
	got, err := users.Get(ctx, u.ID)
	ok(t, err, "get")
	if got.Lockout.PasswordFailures != racers || got.Lockout.OTPFailures != racers {
		t.Errorf("after %d password and %d OTP failures: stored %d and %d", racers, racers, got.Lockout.PasswordFailures, got.Lockout.OTPFailures)
	}
}

func testRaceGrant(t *testing.T, s store.Store) {
	ctx := t.Context()
	r := mkRealm(t, s, "acme")
	u := mkUser(t, s, r.ID, "alice")
	role := mkRole(t, s, r.ID, "", "admin")
	roles := s.Realm(r.ID).Roles()
	errs := race(10, func(int) error { return roles.Grant(ctx, u.ID, role.ID) })
	for i, err := range errs {
		if err != nil {
			t.Errorf("concurrent Grant %d of the same role: %v (Grant is idempotent)", i, err)
		}
	}
	list, err := roles.OfUser(ctx, u.ID)
	ok(t, err, "roles of user")
	sameStrings(t, "roles after concurrent grants", []string{role.ID}, idsOf(list, roleID))
}

func testRacePutMember(t *testing.T, s store.Store) {
	ctx := t.Context()
	r := mkRealm(t, s, "acme")
	u := mkUser(t, s, r.ID, "alice")
	o := mkOrg(t, s, r.ID, "globex")
	orgs := s.Realm(r.ID).Organizations()
	errs := race(10, func(i int) error {
		return orgs.PutMember(ctx, &iam.Membership{
			RealmID: r.ID, OrgID: o.ID, UserID: u.ID, Status: "active",
			Roles:     []iam.OrgRole{{App: "portal", Role: fmt.Sprint("role", i)}},
			CreatedAt: clock(), UpdatedAt: clock(),
		})
	})
	for i, err := range errs {
		if err != nil {
			t.Errorf("concurrent PutMember %d: %v (PutMember creates or replaces)", i, err)
		}
	}
	ms, total, err := orgs.Members(ctx, o.ID, store.Page{})
	ok(t, err, "members")
	if len(ms) != 1 || total != 1 {
		t.Errorf("after concurrent PutMember the organization has %d memberships (total %d), want 1", len(ms), total)
	}
}

// testRaceClaim: dispatchers claiming at once never get the same message.
func testRaceClaim(t *testing.T, s store.Store) {
	ctx := t.Context()
	r := mkRealm(t, s, "acme")
	now := clock()
	var all []string
	ok(t, s.InTx(ctx, func(tx store.Tx) error {
		for i := range 30 {
			all = append(all, mkMessage(t, tx, r.ID, now.Add(-time.Hour+time.Duration(i)*time.Second)).ID)
		}
		return nil
	}), "enqueue 30")
	claims := make([][]*iam.Message, 6)
	errs := race(6, func(i int) error {
		var err error
		claims[i], err = s.Outbox().Claim(ctx, now, time.Minute, 10)
		return err
	})
	seen := map[string]int{}
	for i, err := range errs {
		if err != nil {
			t.Errorf("concurrent Claim %d: %v", i, err)
		}
		for _, m := range claims[i] {
			seen[m.ID]++
		}
	}
	for id, n := range seen {
		if n > 1 {
			t.Errorf("message %s was claimed by %d concurrent dispatchers", id, n)
		}
	}
	rest, err := s.Outbox().Claim(ctx, now, time.Minute, 100)
	ok(t, err, "claim the rest")
	for _, m := range rest {
		if seen[m.ID] > 0 {
			t.Errorf("message %s was claimed again within its lease", m.ID)
		}
		seen[m.ID]++
	}
	if len(seen) != len(all) {
		t.Errorf("%d of %d messages were claimed", len(seen), len(all))
	}
}
