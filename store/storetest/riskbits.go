package storetest

import (
	"fmt"
	"testing"

	"iamd/iam"
	"iamd/store"
)

var riskbitCases = []testCase{
	{"RoundTrip", testRiskbitRoundTrip},
	{"RiskUnique", testRiskbitUnique},
	{"Update", testRiskbitUpdate},
	{"Delete", testRiskbitDelete},
	{"DeleteAll", testRiskbitDeleteAll},
	{"PageDefaultLimit", testRiskbitPaging},
}

func riskbitID(r *iam.Riskbit) string { return r.ID }

func newRiskbit(realmID, risk string) *iam.Riskbit {
	return &iam.Riskbit{
		ID: iam.NewID(), RealmID: realmID, Risk: risk, RatingLevel: "medium", Score: 42,
		RiskAndroid: "emulator", RiskIOS: "simulator", Operation: "step_up", CreatedAt: clock(),
	}
}

func testRiskbitRoundTrip(t *testing.T, s store.Store) {
	ctx := t.Context()
	r := mkRealm(t, s, "acme")
	rbs := s.Realm(r.ID).Riskbits()
	rb := newRiskbit(r.ID, "emulator")
	ok(t, rbs.Create(ctx, rb), "create")
	got, err := rbs.Get(ctx, rb.ID)
	ok(t, err, "get")
	same(t, "Riskbits.Get", rb, got)
	got, err = rbs.GetByRisk(ctx, "emulator")
	ok(t, err, "get by risk")
	same(t, "Riskbits.GetByRisk", rb, got)
	list, err := rbs.List(ctx, store.Page{})
	ok(t, err, "list")
	if len(list) != 1 {
		t.Fatalf("List = %d riskbits, want 1", len(list))
	}
	same(t, "Riskbits.List", rb, list[0])
	_, err = rbs.GetByRisk(ctx, "rooted")
	notFound(t, err, "GetByRisk of an unknown risk")
	_, err = rbs.Get(ctx, "not-a-uuid")
	notFound(t, err, "Get(malformed id)")
}

func testRiskbitUnique(t *testing.T, s store.Store) {
	ctx := t.Context()
	r := mkRealm(t, s, "acme")
	rbs := s.Realm(r.ID).Riskbits()
	ok(t, rbs.Create(ctx, newRiskbit(r.ID, "emulator")), "create")
	dup := newRiskbit(r.ID, "emulator")
	conflict(t, rbs.Create(ctx, dup), "create a riskbit with a taken risk")
	_, err := rbs.Get(ctx, dup.ID)
	notFound(t, err, "the refused riskbit")
	other := newRiskbit(r.ID, "rooted")
	ok(t, rbs.Create(ctx, other), "create")
	in := *other
	in.Risk = "emulator"
	conflict(t, rbs.Update(ctx, &in), "update a riskbit to a taken risk")
	got, err := rbs.Get(ctx, other.ID)
	ok(t, err, "get")
	same(t, "riskbit after a conflicting update", other, got)
}

func testRiskbitUpdate(t *testing.T, s store.Store) {
	ctx := t.Context()
	r := mkRealm(t, s, "acme")
	rbs := s.Realm(r.ID).Riskbits()
	rb := newRiskbit(r.ID, "emulator")
	ok(t, rbs.Create(ctx, rb), "create")
	want := *rb
	want.Risk, want.RatingLevel, want.Score = "emulator-v2", "high", 99
	want.RiskAndroid, want.RiskIOS, want.Operation = "", "jailbreak", "deny"
	ok(t, rbs.Update(ctx, &want), "update")
	got, err := rbs.Get(ctx, rb.ID)
	ok(t, err, "get")
	same(t, "updated riskbit", &want, got)
	notFound(t, rbs.Update(ctx, newRiskbit(r.ID, "ghost")), "update a missing riskbit")
}

func testRiskbitDelete(t *testing.T, s store.Store) {
	ctx := t.Context()
	r := mkRealm(t, s, "acme")
	rbs := s.Realm(r.ID).Riskbits()
	rb, keep := newRiskbit(r.ID, "a"), newRiskbit(r.ID, "b")
	ok(t, rbs.Create(ctx, rb), "create")
	ok(t, rbs.Create(ctx, keep), "create")
	ok(t, rbs.Delete(ctx, rb.ID), "delete")
	_, err := rbs.Get(ctx, rb.ID)
	notFound(t, err, "get a deleted riskbit")
	notFound(t, rbs.Delete(ctx, rb.ID), "delete twice")
	_, err = rbs.Get(ctx, keep.ID)
	ok(t, err, "the other riskbit survives")
	ok(t, rbs.Create(ctx, newRiskbit(r.ID, "a")), "the risk is free again")
}

func testRiskbitDeleteAll(t *testing.T, s store.Store) {
	ctx := t.Context()
	r, other := mkRealm(t, s, "acme"), mkRealm(t, s, "other")
	rbs := s.Realm(r.ID).Riskbits()
	for i := range 3 {
		ok(t, rbs.Create(ctx, newRiskbit(r.ID, fmt.Sprint("risk-", i))), "create")
	}
	keep := newRiskbit(other.ID, "risk-0")
	ok(t, s.Realm(other.ID).Riskbits().Create(ctx, keep), "create in other realm")
	n, err := rbs.DeleteAll(ctx)
	ok(t, err, "delete all")
	if n != 3 {
		t.Errorf("DeleteAll returned %d, want 3", n)
	}
	list, err := rbs.List(ctx, store.Page{})
	ok(t, err, "list")
	if len(list) != 0 {
		t.Errorf("after DeleteAll the realm has %d riskbits", len(list))
	}
	_, err = s.Realm(other.ID).Riskbits().Get(ctx, keep.ID)
	ok(t, err, "the other realm's riskbit survives DeleteAll")
}

// testRiskbitPaging checks the Page rules: Limit 0 means 100.
func testRiskbitPaging(t *testing.T, s store.Store) {
	ctx := t.Context()
	r := mkRealm(t, s, "acme")
	var all []string
	ok(t, s.InTx(ctx, func(tx store.Tx) error {
		for i := range 101 {
			rb := newRiskbit(r.ID, fmt.Sprintf("risk-%03d", i))
			if err := tx.Realm(r.ID).Riskbits().Create(ctx, rb); err != nil {
				return err
			}
			all = append(all, rb.ID)
		}
		return nil
	}), "create 101 riskbits")
	rbs := s.Realm(r.ID).Riskbits()
	list, err := rbs.List(ctx, store.Page{})
	ok(t, err, "list")
	if len(list) != 100 {
		t.Errorf("List with Limit 0 returned %d riskbits, want 100", len(list))
	}
	rest, err := rbs.List(ctx, store.Page{Offset: 100})
	ok(t, err, "list from 100")
	if len(rest) != 1 {
		t.Errorf("List from offset 100 returned %d riskbits, want 1", len(rest))
	}
	sameSet(t, "riskbits read in two pages", all, append(idsOf(list, riskbitID), idsOf(rest, riskbitID)...))
}
