package iamv1_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"

	"iamd/directory"
	"iamd/httpapi/iamv1"
	"iamd/iam"
	"iamd/store"
)

// The isolation walk (issue 4, "Rules"): every operation /v1/iam mounts is
// called (a) without a token, (b) with a token of another realm whose user
// has the victim's username (and is an administrator there), and (c) with
// a valid token of a user who administers ANOTHER organization of the same
// realm, aiming at the victim organization's data: its id, its people's
// ids, e-mails, phone numbers, sessions and pending codes in the path,
// query and body. (a) and (b) must be 401 wherever a token is required;
// (c) must be refused (the status each row lists), and after every
// operation the victim side must be exactly as before: user records,
// memberships, credentials, sessions, the organization, its members and
// invitations, and the victims' access tokens still work at userinfo.
// Public operations get (c) only: the attacker's requests name the victim.
//
// walkOps (isolation_walk_ops_test.go) is the table; TestIsolationWalkCovers
// checks that it names exactly the operations API.Mount registers.

const (
	walkVicPassword = "Victim-Horse-9"
	walkMalPassword = "Mallory-Horse-9"
	walkVicPhone    = "+6591110001"
	walkMobPhone    = "+6591110002"
	walkMalPhone    = "+6592220001"
	walkVic         = "vic@example.com"
	walkMal         = "mal@example.com"
)

// walkAccess is who may call an operation at all.
type walkAccess int

const (
	walkPublic walkAccess = iota // no token needed
	walkUser                     // any signed-in user of the realm
	walkAdmin                    // realm (or server) administrators
)

// walkOp is one registered operation and the attacker's requests.
type walkOp struct {
	pattern string // exactly as API.Mount registers it
	rows    string // ENDPOINTS.md A.2 rows
	access  walkAccess
	attack  func(w *walkWorld) []walkReq
}

// walkReq is one request of the attacker and what may come of it.
type walkReq struct {
	method, path string
	body         any      // JSON, or a string sent as is
	header       []string // more header pairs (a Content-Type, say)
	want         []int    // the statuses allowed
	// allow2xx says why a success is no breach (the operation acts on
	// the caller only, or the document has it answer anyone); a 2xx in
	// want without it is a table error.
	allow2xx string
	check    func(t *testing.T, w *walkWorld, r resp) // more checks on the answer
}

// walkWorld is the cast, in realm acme:
//   - vic (vic@example.com, phone walkVicPhone, e-mail not yet verified)
//     signed up with organization V, which she administers;
//   - vmem is a plain member of V; vmob a mobile-only member of V;
//   - mal (mal@example.com, phone walkMalPhone) signed up with
//     organization M: an organization administrator, not of V;
//   - in realm "other" a user named vic@example.com with realm role admin.
//
// The victims hold pending secrets the attacker tries to use: vic's e-mail
// change session and code, her e-mail verification code and link, vmob's
// e-mail link code, V's invitation of newbie@example.com.
type walkWorld struct {
	f                      *fixture
	v, m                   int64 // numeric ids of V and M
	mOrgID                 string
	vic, vmem, vmob, mal   *iam.User
	vicAccess, vicRefresh  string
	mobAccess              string
	otherRealm             string // the other realm's namesake token
	vicChangeSession       string
	vicChangeCode          string
	vicVerifyCode          string
	vicLinkToken           string
	malLinkToken           string // the attacker's own verification link's token
	mobLinkCode            string
	vInviteSession         string
	vInviteCode            string
	malAccess, malRefresh  string // fresh for each operation
	base                   string // the victims' snapshot
	intercomWeb, intercomX string
}

func walkSetup(t *testing.T, f *fixture) *walkWorld {
	t.Helper()
	ctx := context.Background()
	w := &walkWorld{f: f}
	w.v = f.want(f.post("/v1/iam/auth/sign-up/web", map[string]any{
		"emailId": walkVic, "password": walkVicPassword, "firstName": "Vic", "lastName": "Tim",
		"organizationName": "Victim Co", "contact": walkVicPhone,
	}), http.StatusCreated).num("tenantId")
	link, err := url.Parse(f.linkPath(walkVic))
	if err != nil {
		t.Fatal(err)
	}
	w.vicLinkToken = link.Query().Get("token")
	w.m = f.want(f.post("/v1/iam/auth/sign-up/web", map[string]any{
		"emailId": walkMal, "password": walkMalPassword, "firstName": "Mal", "lastName": "Lory",
		"organizationName": "Mallory Co", "contact": walkMalPhone,
	}), http.StatusCreated).num("tenantId")
	if link, err = url.Parse(f.linkPath(walkMal)); err != nil {
		t.Fatal(err)
	}
	w.malLinkToken = link.Query().Get("token")
	f.signUpWeb("vmem@example.com", walkVicPassword, "")
	f.want(f.post("/v1/iam/auth/sign-up/mobile", map[string]any{"contact": walkMobPhone, "firstName": "Mo"}), http.StatusCreated)
	find := func(login string) *iam.User {
		u, err := f.Dir.FindUser(ctx, f.Realm, login)
		if err != nil {
			t.Fatalf("%s: %v", login, err)
		}
		return u
	}
	w.vic, w.vmem, w.vmob, w.mal = find(walkVic), find("vmem@example.com"), find(walkMobPhone), find(walkMal)
	for _, u := range []*iam.User{w.vmem, w.vmob} {
		if _, _, err := f.Dir.AddMember(ctx, f.Realm, strconv.FormatInt(w.v, 10), u.ID, []iam.OrgRole{{App: iamv1.DefaultApp, Role: "user"}}, ""); err != nil {
			t.Fatal(err)
		}
	}
	signedIn := f.signIn(walkVic, walkVicPassword)
	w.vicAccess, w.vicRefresh = signedIn.str("accessToken"), signedIn.str("refreshToken")
	vic := []string{"x-access-token", w.vicAccess}
	w.vicChangeSession = f.want(f.post("/v1/iam/users/emailchangeotp", map[string]any{"newEmail": "vic.new@example.com", "password": walkVicPassword}, vic...), http.StatusOK).str("sessionID")
	w.vicChangeCode = f.last("vic.new@example.com").Code
	f.want(f.get("/v1/iam/users/generateverifyemailotp?email="+walkVic, vic...), http.StatusOK)
	w.vicVerifyCode = f.last(walkVic).Code
	w.vInviteSession = f.want(f.post("/v1/iam/auth/user/invite", map[string]any{"email": "newbie@example.com"}, vic...), http.StatusOK).str("session")
	w.vInviteCode = f.last("newbie@example.com").Code
	mob, _ := contactsMobileToken(f, walkMobPhone)
	w.mobAccess = mob[1]
	f.want(f.post("/v1/iam/users/email/link", map[string]any{"email": "vmob@example.com"}, mob...), http.StatusOK)
	w.mobLinkCode = f.last("vmob@example.com").Code
	if w.vicChangeCode == "" || w.vicVerifyCode == "" || w.vInviteCode == "" || w.mobLinkCode == "" || w.vicLinkToken == "" {
		t.Fatal("a victim secret is missing from the outbox")
	}
	// Intercom secrets, so that the hash operations answer and can be
	// checked to hash the caller, not the victim.
	for _, attr := range []string{directory.IntercomSecretAttribute, directory.IntercomSecretAndroidAttribute, directory.IntercomSecretIOSAttribute} {
		switchSetAttr(t, f, attr, "walk-secret-"+attr)
	}
	// The other realm: a namesake of the victim, administrator there.
	other, err := f.Dir.EnsureRealm(ctx, "other", "")
	if err != nil {
		t.Fatal(err)
	}
	namesake, err := f.Dir.CreateUser(ctx, other, directory.NewUser{Username: walkVic, Email: walkVic, RealmRoles: []string{iam.RoleAdmin}}, "")
	if err != nil {
		t.Fatal(err)
	}
	otherApp, err := f.Dir.EnsureApp(ctx, other, directory.NewApp{ClientID: iamv1.DefaultApp, Public: true, GrantTypes: []string{iam.GrantRefreshToken}})
	if err != nil {
		t.Fatal(err)
	}
	w.otherRealm = f.otherRealmToken(other, otherApp, namesake)
	org, err := f.Dir.GetOrganization(ctx, f.Realm, strconv.FormatInt(w.m, 10))
	if err != nil {
		t.Fatal(err)
	}
	w.mOrgID = org.ID
	w.base = w.snapshot(t)
	return w
}

// walkUserState is what of a victim user must not change: the record
// without its bookkeeping (UpdatedAt, failure counters; a lock itself
// counts), memberships, credentials and live sessions. A waiting
// (inactive) membership of the attacker's organization M is M's
// invitation, which the victim may ignore, and is left out; an active one
// is not: nobody joins an organization without saying so.
type walkUserState struct {
	User        iam.User
	Locked      bool
	Memberships []iam.Membership
	Credentials []iam.Credential
	Sessions    int
}

// snapshot is the victim side's state as JSON.
func (w *walkWorld) snapshot(t *testing.T) string {
	t.Helper()
	ctx := context.Background()
	f := w.f
	sc := f.Store.Realm(f.Realm.ID)
	state := map[string]any{}
	for _, u := range []*iam.User{w.vic, w.vmem, w.vmob} {
		cur, err := sc.Users().Get(ctx, u.ID)
		if err != nil {
			t.Fatal(err)
		}
		s := walkUserState{User: *cur, Locked: cur.Lockout.Locked(f.now())}
		s.User.UpdatedAt, s.User.Lockout = s.User.CreatedAt, iam.Lockout{}
		ms, err := sc.Organizations().OfUser(ctx, u.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range ms {
			if m.OrgID == w.mOrgID && !m.Active() {
				continue
			}
			s.Memberships = append(s.Memberships, *m)
		}
		sort.Slice(s.Memberships, func(i, j int) bool { return s.Memberships[i].OrgID < s.Memberships[j].OrgID })
		cs, err := sc.Credentials().List(ctx, u.ID, "")
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range cs {
			s.Credentials = append(s.Credentials, *c)
		}
		sort.Slice(s.Credentials, func(i, j int) bool { return s.Credentials[i].ID < s.Credentials[j].ID })
		ss, err := sc.Sessions().OfUser(ctx, u.ID, f.now())
		if err != nil {
			t.Fatal(err)
		}
		for _, x := range ss {
			if x.Active(f.now()) {
				s.Sessions++
			}
		}
		state[u.Username] = s
	}
	org, err := f.Dir.GetOrganization(ctx, f.Realm, strconv.FormatInt(w.v, 10))
	if err != nil {
		t.Fatal(err)
	}
	members, _, err := sc.Organizations().Members(ctx, org.ID, store.Page{Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	invitations, err := sc.Invitations().List(ctx, org.ID, store.Page{Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	o := *org
	o.UpdatedAt = o.CreatedAt
	state["organization"], state["members"], state["invitations"] = o, members, invitations
	b, err := json.MarshalIndent(state, "", " ")
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// unchanged reports a change of the victim side since the last look
// (and takes the new state as the baseline, so that one breach is
// reported once), and checks the victims' tokens still work.
func (w *walkWorld) unchanged(t *testing.T, op string) {
	t.Helper()
	now := w.snapshot(t)
	if now != w.base {
		t.Errorf("LEAK %s: the victim side changed:\n%s", op, walkDiff(w.base, now))
		w.base = now
	}
	for name, tok := range map[string]string{"vic": w.vicAccess, "vmob": w.mobAccess} {
		if st := w.f.userinfo(tok); st != http.StatusOK {
			t.Errorf("LEAK %s: %s's access token stopped working at userinfo (%d)", op, name, st)
		}
	}
}

// walkDiff shows the lines of b that a lacks and the other way round.
func walkDiff(a, b string) string {
	al, bl := strings.Split(a, "\n"), strings.Split(b, "\n")
	var out []string
	for _, l := range al {
		if !slices.Contains(bl, l) {
			out = append(out, "- "+strings.TrimSpace(l))
		}
	}
	for _, l := range bl {
		if !slices.Contains(al, l) {
			out = append(out, "+ "+strings.TrimSpace(l))
		}
	}
	return strings.Join(out, "\n")
}

// repair takes the victims out of M again, so that a breach by one
// operation (a victim pulled into M) does not hand the attacker rights
// over the victims in the next ones, and takes the state as the baseline.
func (w *walkWorld) repair(t *testing.T) {
	t.Helper()
	ctx := context.Background()
	orgs := w.f.Store.Realm(w.f.Realm.ID).Organizations()
	for _, u := range []*iam.User{w.vic, w.vmem, w.vmob} {
		if err := orgs.RemoveMember(ctx, w.mOrgID, u.ID); err != nil && !errors.Is(err, store.ErrNotFound) {
			t.Fatal(err)
		}
	}
	w.base = w.snapshot(t)
}

// send sends r with the header pairs given.
func (w *walkWorld) send(r walkReq, header ...string) resp {
	w.f.t.Helper()
	return w.f.call(r.method, r.path, r.body, append(slices.Clone(r.header), header...)...)
}

// TestIsolationWalk walks every operation in the three contexts.
func TestIsolationWalk(t *testing.T) {
	backends(t, func(t *testing.T, f *fixture) {
		w := walkSetup(t, f)
		calls := 0
		for _, op := range walkOps {
			signedIn := f.signIn(walkMal, walkMalPassword)
			w.malAccess, w.malRefresh = signedIn.str("accessToken"), signedIn.str("refreshToken")
			reqs := op.attack(w)
			if len(reqs) == 0 {
				t.Fatalf("%s: no attack", op.pattern)
			}
			if op.access != walkPublic {
				for _, c := range []struct {
					name   string
					header []string
				}{{"no token", nil}, {"another realm's token", []string{"x-access-token", w.otherRealm}}} {
					if r := w.send(reqs[0], c.header...); r.status != http.StatusUnauthorized {
						t.Errorf("%s %s with %s: status %d, want 401: %s", op.rows, op.pattern, c.name, r.status, r.raw)
					}
					calls++
				}
				w.unchanged(t, op.pattern+" (no token, another realm)")
			}
			for i, rq := range reqs {
				r := w.send(rq, "x-access-token", w.malAccess)
				calls++
				label := op.rows + " " + op.pattern + " attack " + strconv.Itoa(i+1) + " (" + rq.method + " " + rq.path + ")"
				ok2xx := r.status >= 200 && r.status < 300
				switch {
				case !slices.Contains(rq.want, r.status) && ok2xx:
					t.Errorf("LEAK %s: status %d, want one of %v: %s", label, r.status, rq.want, r.raw)
				case !slices.Contains(rq.want, r.status):
					t.Errorf("%s: status %d, want one of %v: %s", label, r.status, rq.want, r.raw)
				case ok2xx && rq.allow2xx == "":
					t.Errorf("walk table: %s allows %d without saying why", label, r.status)
				case ok2xx:
					t.Logf("%s: %d, no breach: %s", label, r.status, rq.allow2xx)
				}
				if rq.check != nil {
					rq.check(t, w, r)
				}
				w.unchanged(t, label)
			}
			w.repair(t)
		}
		// The victims still sign in as before, and their pending secrets
		// still work: the attacker used none of them up.
		f.signIn(walkVic, walkVicPassword)
		vic := []string{"x-access-token", w.vicAccess}
		f.want(f.post("/v1/iam/users/confirmotp", map[string]any{"userName": walkVic, "confirmationCode": w.vicVerifyCode, "isEmail": true}, vic...), http.StatusOK)
		f.want(f.post("/v1/iam/users/emailchangeconfirmotp", map[string]any{
			"sessionID": w.vicChangeSession, "verificationCode": w.vicChangeCode, "newEmail": "vic.new@example.com",
		}, vic...), http.StatusOK)
		f.want(f.post("/v1/iam/users/email/verify", map[string]any{"confirmationCode": w.mobLinkCode, "password": walkVicPassword}, "x-access-token", w.mobAccess), http.StatusOK)
		t.Logf("isolation walk: %d operations, %d requests", len(walkOps), calls)
	})
}

// TestIsolationWalkCovers: the walk's table names exactly the operations
// API.Mount registers (a.handle records each pattern), and a mux Mount
// filled routes each table pattern to that very pattern.
func TestIsolationWalkCovers(t *testing.T) {
	mux := http.NewServeMux()
	api := &iamv1.API{Realm: "acme"}
	api.Mount(mux)
	mounted := api.WalkRoutes()
	var table []string
	for _, op := range walkOps {
		if slices.Contains(table, op.pattern) {
			t.Errorf("walk table: %s twice", op.pattern)
		}
		table = append(table, op.pattern)
	}
	for _, p := range mounted {
		if !slices.Contains(table, p) {
			t.Errorf("API.Mount registers %q, which the isolation walk does not call", p)
		}
	}
	for _, p := range table {
		if !slices.Contains(mounted, p) {
			t.Errorf("the isolation walk calls %q, which API.Mount does not register", p)
		}
		method, path, _ := strings.Cut(p, " ")
		path = strings.NewReplacer("{id}", "7", "{email}", "a@example.com").Replace(path)
		if _, got := mux.Handler(httptest.NewRequest(method, path, nil)); got != p {
			t.Errorf("%s %s is routed to %q, want %q", method, path, got, p)
		}
	}
}
