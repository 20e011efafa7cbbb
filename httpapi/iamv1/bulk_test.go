package iamv1_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"iamd/iam"
)

// peopleMsgInvitedInstead is #40's message for a row naming an existing
// account, which is invited rather than added.
const peopleMsgInvitedInstead = "User already has an account; an invite code has been sent."

func peopleRow(email, contact, app string) map[string]any {
	return map[string]any{"appName": app, "roleGroup": "user", "email": email, "contact": contact, "firstName": "Row", "lastName": "Person", "username": email}
}

// #40: each row on its own; a failed row leaves nothing behind.
func TestPeopleBulkCreate(t *testing.T) {
	backends(t, func(t *testing.T, f *fixture) {
		w := peopleSetup(t, f)
		const path = "/v1/iam/users/bulk-create"
		rows := []map[string]any{
			peopleRow("g@example.com", "+6591111111", "ERP"),
			peopleRow("G@example.com", "", "ERP"),              // the same person again
			peopleRow("h@example.com", "+65 9111 1111", "ERP"), // contact taken by row 0
			peopleRow("i@example.com", "", "NOPE"),             // unknown app
			peopleRow("bob@example.com", "", "ERP"),            // already a member
			peopleRow("eve@example.com", "", "ERP"),            // an account, not a member
		}
		r := f.want(w.as("ann", "POST", path, rows), http.StatusOK)
		var res struct {
			Success, Failure []map[string]any
		}
		if err := json.Unmarshal([]byte(r.raw), &res); err != nil {
			t.Fatal(err)
		}
		if len(res.Success) != 1 || len(res.Failure) != 5 || res.Success[0]["email"] != "g@example.com" ||
			res.Success[0]["tenantId"].(float64) != float64(w.a) || res.Success[0]["roleGroup"] != "user" || res.Success[0]["appName"] != "erp" {
			t.Fatalf("bulk-create: %s", r.raw)
		}
		for i, want := range []string{"G@example.com", "h@example.com", "i@example.com", "bob@example.com", "eve@example.com"} {
			if res.Failure[i]["email"] != want || res.Failure[i]["message"] == "" {
				t.Fatalf("failure %d: %s", i, r.raw)
			}
		}
		if res.Failure[3]["message"] != peopleMsgAlready {
			t.Fatalf("an existing member: %v", res.Failure[3])
		}
		// An existing account is invited, not added: its row echoes what
		// was sent and shows nothing stored of the account.
		if eve := res.Failure[4]; eve["message"] != peopleMsgInvitedInstead || eve["id"] != nil || eve["firstName"] != "Row" ||
			eve["tenantId"].(float64) != float64(w.a) || strings.Contains(r.raw, w.eve.ID) {
			t.Fatalf("an existing account's row: %s", r.raw)
		}
		if m := w.member(w.a, w.eve); m == nil || m.Active() || f.last("eve@example.com").Purpose != iam.PurposeInvitation {
			t.Fatalf("eve must be invited, not added: %+v", m)
		}
		g := peopleUser(t, f, "g@example.com")
		if m := w.member(w.a, g); m == nil || !m.Active() || f.last("g@example.com").Code == "" {
			t.Fatalf("a created row joins at once and gets a code to set its password: %+v", m)
		}
		for _, e := range []string{"h@example.com", "i@example.com"} {
			if len(f.messages(e)) != 0 {
				t.Fatalf("a failed row sent a message to %s", e)
			}
			if u, _, _ := f.Dir.UsersByContact(context.Background(), f.Realm, e, ""); u != nil {
				t.Fatalf("a failed row left the account %s", e)
			}
		}

		// A malformed row refuses the whole request; nothing changes.
		users := f.userCount()
		bad := []map[string]any{peopleRow("k@example.com", "", "ERP"), peopleRow("not-an-address", "", "ERP")}
		f.wantError(w.as("ann", "POST", path, bad), http.StatusBadRequest, "", "inviteBulkUserRequests[1].email")
		missing := peopleRow("k@example.com", "", "ERP")
		delete(missing, "firstName")
		f.wantError(w.as("ann", "POST", path, []any{missing}), http.StatusBadRequest, "", "inviteBulkUserRequests[0].firstName")
		f.wantError(w.as("ann", "POST", path, []any{}), http.StatusBadRequest, "", "inviteBulkUserRequests")
		f.wantError(w.as("ann", "POST", path, map[string]any{"email": "k@example.com"}), http.StatusBadRequest, "", "")
		f.wantError(w.as("bob", "POST", path, rows[:1]), http.StatusForbidden, peopleMsgForbidden, "")
		f.wantError(w.as("olga", "POST", path, rows[:1]), http.StatusUnauthorized, peopleMsgUnauthorized, "")
		f.wantError(w.as("root", "POST", path, rows[:1]), http.StatusNotFound, "Not Found", "")
		if f.userCount() != users || len(f.messages("k@example.com")) != 0 {
			t.Fatal("refused requests must change nothing")
		}
	})
}

// #41: one UserDto per row, in order; failed rows say why.
func TestPeopleBulkInvite(t *testing.T) {
	backends(t, func(t *testing.T, f *fixture) {
		w := peopleSetup(t, f)
		const path = "/v1/iam/users/bulk-invite"
		rows := []map[string]any{peopleRow("j@example.com", "", "ERP"), peopleRow("l@example.com", "", "NOPE"), peopleRow("bob@example.com", "", "ERP"),
			peopleRow("eve@example.com", "", "ERP")}
		r := f.want(w.as("ann", "POST", path, rows), http.StatusOK)
		var res []map[string]any
		if err := json.Unmarshal([]byte(r.raw), &res); err != nil || len(res) != 4 {
			t.Fatalf("bulk-invite: %s %v", r.raw, err)
		}
		if res[0]["id"].(float64) <= 0 || res[0]["tenantId"].(float64) != float64(w.a) || res[0]["message"] != nil ||
			res[1]["status"] != "failed" || res[1]["message"] == "" || res[1]["email"] != "l@example.com" || res[2]["message"] != peopleMsgAlready {
			t.Fatalf("bulk-invite rows: %s", r.raw)
		}
		// eve had an account: her row shows only what was sent.
		if eve := res[3]; eve["id"].(float64) != 0 || eve["status"] != "invited" || eve["email"] != "eve@example.com" ||
			eve["authUserId"] != "" || eve["firstName"] != "" || strings.Contains(r.raw, w.eve.ID) {
			t.Fatalf("an existing account's row: %s", r.raw)
		}
		if m := w.member(w.a, w.eve); m == nil || m.Active() {
			t.Fatalf("eve must be invited: %+v", m)
		}
		j := peopleUser(t, f, "j@example.com")
		if m := w.member(w.a, j); m == nil || m.Active() || f.last("j@example.com").Code == "" {
			t.Fatalf("an invited row waits for its code: %+v", m)
		}
		if len(f.messages("l@example.com")) != 0 {
			t.Fatal("a failed row sent a message")
		}
		f.wantError(w.as("bob", "POST", path, rows[:1]), http.StatusForbidden, peopleMsgForbidden, "")
		f.wantError(w.as("olga", "POST", path, rows[:1]), http.StatusUnauthorized, peopleMsgUnauthorized, "")
		f.wantError(w.as("root", "POST", path, rows[:1]), http.StatusNotFound, peopleMsgTenantNotFound, "")
		f.wantError(w.as("ann", "POST", path, []any{map[string]any{"appName": "ERP"}}), http.StatusBadRequest, "", "inviteBulkUserRequests[0].roleGroup")
	})
}
