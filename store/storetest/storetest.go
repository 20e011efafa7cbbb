package storetest

import (
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"iamd/iam"
	"iamd/store"
)

type opener = func(t *testing.T) store.Store

// testCase is one subtest; it gets a store of its own.
type testCase struct {
	name string
	run  func(t *testing.T, s store.Store)
}

// Run runs the whole conformance suite. open must return a fresh, migrated,
// empty store for each call and arrange its closing with t.Cleanup.
func Run(t *testing.T, open func(t *testing.T) store.Store) {
	subjects := []struct {
		name  string
		cases []testCase
	}{
		{"Store", lifecycleCases},
		{"Realms", realmCases},
		{"Users", userCases},
		{"Credentials", credentialCases},
		{"Apps", appCases},
		{"Roles", roleCases},
		{"Groups", groupCases},
		{"Organizations", organizationCases},
		{"Sessions", sessionCases},
		{"RefreshTokens", tokenCases},
		{"Codes", codeCases},
		{"Invitations", invitationCases},
		{"Riskbits", riskbitCases},
		{"Events", eventCases},
		{"Outbox", outboxCases},
		{"Keys", keyCases},
		{"Tx", txCases},
		{"Isolation", isolationCases},
		{"Concurrency", concurrencyCases},
	}
	for _, sub := range subjects {
		t.Run(sub.name, func(t *testing.T) {
			for _, c := range sub.cases {
				t.Run(c.name, func(t *testing.T) { c.run(t, open(t)) })
			}
		})
	}
}

// clock is the current time as the suite writes it: UTC, microseconds.
func clock() time.Time { return time.Now().UTC().Truncate(time.Microsecond) }

func ptr[T any](v T) *T { return &v }

// ok stops the test when err is not nil.
func ok(t *testing.T, err error, format string, args ...any) {
	t.Helper()
	if err != nil {
		t.Fatalf("%s: unexpected error: %v", fmt.Sprintf(format, args...), err)
	}
}

// isErr reports an error unless errors.Is(err, want).
func isErr(t *testing.T, err, want error, format string, args ...any) bool {
	t.Helper()
	if !errors.Is(err, want) {
		t.Errorf("%s: want %v, got %v", fmt.Sprintf(format, args...), want, err)
		return false
	}
	return true
}

func notFound(t *testing.T, err error, format string, args ...any) bool {
	t.Helper()
	return isErr(t, err, store.ErrNotFound, format, args...)
}

func conflict(t *testing.T, err error, format string, args ...any) bool {
	t.Helper()
	return isErr(t, err, store.ErrConflict, format, args...)
}

// race runs f n times at once, released together, and returns each error.
func race(n int, f func(i int) error) []error {
	var wg sync.WaitGroup
	start := make(chan struct{})
	errs := make([]error, n)
	for i := range n {
		wg.Go(func() {
			<-start
			errs[i] = f(i)
		})
	}
	close(start)
	wg.Wait()
	return errs
}

// outcomes counts successes and ErrConflicts; any other error fails t.
func outcomes(t *testing.T, errs []error, what string) (wins, conflicts int) {
	t.Helper()
	for i, err := range errs {
		switch {
		case err == nil:
			wins++
		case errors.Is(err, store.ErrConflict):
			conflicts++
		default:
			t.Errorf("%s: caller %d: want nil or ErrConflict, got %v", what, i, err)
		}
	}
	return wins, conflicts
}

var phoneSeq atomic.Int64

// newPhone returns a phone number no other call returns.
func newPhone() string { return fmt.Sprintf("+4915%09d", phoneSeq.Add(1)) }

func userIDs(us []*iam.User) []string {
	out := make([]string, len(us))
	for i, u := range us {
		out[i] = u.ID
	}
	return out
}

func usernames(us []*iam.User) []string {
	out := make([]string, len(us))
	for i, u := range us {
		out[i] = u.Username
	}
	return out
}

// idsOf extracts ids (or any key) from a list.
func idsOf[T any](xs []T, key func(T) string) []string {
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i] = key(x)
	}
	return out
}

func sameStrings(t *testing.T, what string, want, got []string) {
	t.Helper()
	if len(want) != len(got) {
		t.Errorf("%s: want %q, got %q", what, want, got)
		return
	}
	for i := range want {
		if want[i] != got[i] {
			t.Errorf("%s: want %q, got %q", what, want, got)
			return
		}
	}
}

// sameSet compares two lists ignoring order.
func sameSet(t *testing.T, what string, want, got []string) {
	t.Helper()
	m := map[string]int{}
	for _, w := range want {
		m[w]++
	}
	for _, g := range got {
		m[g]--
	}
	for _, n := range m {
		if n != 0 {
			t.Errorf("%s: want (any order) %q, got %q", what, want, got)
			return
		}
	}
}
