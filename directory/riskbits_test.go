package directory_test

import (
	"testing"

	"iamd/directory"
	"iamd/iam"
	"iamd/store"
)

func riskbit(risk, ios, android string) directory.RiskbitInput {
	return directory.RiskbitInput{Risk: risk, RatingLevel: "X", Score: 3, RiskIOS: ios, RiskAndroid: android, Operation: "none"}
}

func TestRiskbits(t *testing.T) {
	onBoth(t, func(t *testing.T, f *fixture) {
		one, err := f.s.CreateRiskbit(f.ctx, f.realm, riskbit("0.01", "JBreak", "Root"), "")
		if err != nil {
			t.Fatal(err)
		}
		_, err = f.s.CreateRiskbit(f.ctx, f.realm, riskbit("0.01", "", ""), "")
		wantCode(t, err, iam.CodeConflict, "same risk twice")
		_, err = f.s.CreateRiskbit(f.ctx, f.realm, directory.RiskbitInput{Risk: "0.5", RatingLevel: "A"}, "")
		wantField(t, err, "operation", "missing operation")

		_, err = f.s.CreateRiskbits(f.ctx, f.realm, []directory.RiskbitInput{riskbit("0.2", "", ""), riskbit("0.01", "", "")}, "")
		wantCode(t, err, iam.CodeConflict, "a list with a taken risk")
		_, err = f.s.CreateRiskbits(f.ctx, f.realm, []directory.RiskbitInput{riskbit("0.3", "", ""), riskbit("0.3", "", "")}, "")
		wantCode(t, err, iam.CodeConflict, "a list repeating a risk")
		list, err := f.s.ListRiskbits(f.ctx, f.realm, store.Page{})
		if err != nil || len(list) != 1 {
			t.Fatalf("a refused list must add nothing: %d %v", len(list), err)
		}
		added, err := f.s.CreateRiskbits(f.ctx, f.realm, []directory.RiskbitInput{riskbit("0.2", "JBreak", ""), riskbit("0.3", "Hook", "JBreak")}, "")
		if err != nil || len(added) != 2 {
			t.Fatalf("add list: %v %v", added, err)
		}

		_, err = f.s.GetRiskbit(f.ctx, f.other, one.ID)
		wantCode(t, err, iam.CodeNotFound, "another realm's riskbit")
		up, err := f.s.UpdateRiskbit(f.ctx, f.realm, one.ID, riskbit("0.05", "JBreak", "Root"), "")
		if err != nil || up.Risk != "0.05" {
			t.Fatalf("update: %+v %v", up, err)
		}
		_, err = f.s.UpdateRiskbit(f.ctx, f.realm, one.ID, riskbit("0.2", "", ""), "")
		wantCode(t, err, iam.CodeConflict, "update to a taken risk")
		_, err = f.s.UpdateRiskbit(f.ctx, f.other, one.ID, riskbit("0.9", "", ""), "")
		wantCode(t, err, iam.CodeNotFound, "update through another realm")

		got, err := f.s.VerifyDeviceRisk(f.ctx, f.realm, "JBreak", "iOS")
		if err != nil || len(got) != 0 {
			t.Fatalf("with riskbits disabled nothing matches: %v %v", got, err)
		}
		realm, err := f.s.SetRiskbitStatus(f.ctx, f.realm, true, "")
		if err != nil || !realm.Settings.RiskbitsEnabled {
			t.Fatalf("status: %+v %v", realm, err)
		}
		stored, _ := f.s.RealmByName(f.ctx, "acme")
		if !stored.Settings.RiskbitsEnabled || stored.DisplayName != "Acme" {
			t.Fatalf("stored realm: %+v", stored)
		}
		got, err = f.s.VerifyDeviceRisk(f.ctx, stored, "JBreak", "iOS")
		if err != nil || len(got) != 2 {
			t.Fatalf("ios JBreak: %v %v", got, err)
		}
		got, err = f.s.VerifyDeviceRisk(f.ctx, stored, "JBreak", "android")
		if err != nil || len(got) != 1 || got[0].Risk != "0.3" {
			t.Fatalf("android JBreak: %v %v", got, err)
		}
		_, err = f.s.VerifyDeviceRisk(f.ctx, stored, "JBreak", "symbian")
		wantField(t, err, "platform", "unknown platform")
		_, err = f.s.VerifyDeviceRisk(f.ctx, stored, "", "ios")
		wantField(t, err, "riskName", "no risk name")

		if err := f.s.DeleteRiskbit(f.ctx, f.realm, one.ID, ""); err != nil {
			t.Fatal(err)
		}
		wantCode(t, f.s.DeleteRiskbit(f.ctx, f.realm, one.ID, ""), iam.CodeNotFound, "delete twice")
		if _, err := f.s.CreateRiskbit(f.ctx, f.other, riskbit("0.2", "", ""), ""); err != nil {
			t.Fatal(err)
		}
		n, err := f.s.DeleteAllRiskbits(f.ctx, f.realm, "")
		if err != nil || n != 2 {
			t.Fatalf("delete all: %d %v", n, err)
		}
		if left, _ := f.s.ListRiskbits(f.ctx, f.other, store.Page{}); len(left) != 1 {
			t.Fatalf("delete all must not reach another realm: %d left", len(left))
		}
		if len(f.events(t, f.realm, iam.EventRiskbitsChanged)) < 5 || len(f.events(t, f.realm, iam.EventRiskbitStatusChanged)) != 1 {
			t.Fatal("riskbit events missing")
		}
	})
}
