package iamv1_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"slices"
	"sort"
	"strings"
	"testing"

	"iamd/httpapi/iamv1"
)

// TestOpenAPIMatchesRoutes holds the document's operations equal to the
// routes Mount registers, so that neither can change without the other.
func TestOpenAPIMatchesRoutes(t *testing.T) {
	a := &iamv1.API{Realm: "acme"}
	a.Mount(http.NewServeMux())
	routes := a.RoutesForTest()
	c, err := loadChecker()
	if err != nil {
		t.Fatal(err)
	}
	var documented []string
	for pattern := range c.routes {
		documented = append(documented, pattern)
	}
	sort.Strings(documented)
	for _, r := range routes {
		if !slices.Contains(documented, r) {
			t.Errorf("Mount registers %q, which the OpenAPI document lacks (add it to apiOps)", r)
		}
	}
	for _, d := range documented {
		if !slices.Contains(routes, d) {
			t.Errorf("the OpenAPI document describes %q, which Mount does not register", d)
		}
	}
	if len(routes) != len(documented) {
		t.Errorf("%d routes, %d documented operations", len(routes), len(documented))
	}
}

// TestOpenAPIDocument checks the document as a whole: OpenAPI 3.1 that
// validates (kin-openapi's checks: references resolve, operation ids are
// unique, path parameters are declared, schemas are valid), every
// operation tagged with a declared controller, and every component used.
func TestOpenAPIDocument(t *testing.T) {
	raw, err := iamv1.OpenAPIForTest("https://id.example.com")
	if err != nil {
		t.Fatal(err)
	}
	doc, err := loadOpenAPI(raw, false)
	if err != nil {
		t.Fatal(err)
	}
	if doc.OpenAPI != "3.1.0" || !doc.IsOpenAPI31OrLater() {
		t.Fatalf("openapi %q", doc.OpenAPI)
	}
	if len(doc.Servers) != 1 || doc.Servers[0].URL != "https://id.example.com" {
		t.Errorf("servers %+v", doc.Servers)
	}
	for _, name := range []string{"accessToken", "bearer", "accessCookie"} {
		if doc.Components.SecuritySchemes[name] == nil {
			t.Errorf("no security scheme %s", name)
		}
	}
	if s := doc.Components.SecuritySchemes["accessToken"].Value; s.In != "header" || s.Name != "x-access-token" {
		t.Errorf("accessToken scheme %+v", s)
	}
	if s := doc.Components.SecuritySchemes["accessCookie"].Value; s.In != "cookie" || s.Name != iamv1.AccessCookie {
		t.Errorf("accessCookie scheme %+v", s)
	}
	tags := map[string]bool{}
	for _, tag := range doc.Tags {
		tags[tag.Name] = true
	}
	ops := 0
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			ops++
			if len(op.Tags) != 1 || !tags[op.Tags[0]] {
				t.Errorf("%s %s: tags %v", method, path, op.Tags)
			}
			if op.Summary == "" || op.Responses.Len() == 0 {
				t.Errorf("%s %s: no summary or responses", method, path)
			}
			for status, res := range op.Responses.Map() {
				if status >= "400" && res.Value.Content.Get("application/json").Schema.Ref != "#/components/schemas/ErrorBody" {
					t.Errorf("%s %s %s: error without ErrorBody", method, path, status)
				}
			}
		}
	}
	if ops < 75 {
		t.Errorf("%d operations", ops)
	}
	for name := range doc.Components.Schemas {
		if !bytes.Contains(raw, []byte(`"#/components/schemas/`+name+`"`)) {
			t.Errorf("component %s is never used", name)
		}
	}
	// The document's model names, as the Go structs carry them.
	for _, name := range []string{"WebSignupRequest", "AuthenticationResultTypeDto", "UserDto", "AppUserResponseInfo",
		"ResponseEntity", "SocialAuthResponse", "BulkAddUserResponse", "ErrorBody"} {
		if doc.Components.Schemas[name] == nil {
			t.Errorf("no component %s", name)
		}
	}
}

// TestOpenAPISchemas spot-checks what reflection made of the models.
func TestOpenAPISchemas(t *testing.T) {
	raw, err := iamv1.OpenAPIForTest("")
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Components struct {
			Schemas map[string]struct {
				Required   []string                  `json:"required"`
				Properties map[string]map[string]any `json:"properties"`
			} `json:"schemas"`
		} `json:"components"`
	}
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	s := doc.Components.Schemas
	typ := func(model, field string) string {
		b, _ := json.Marshal(s[model].Properties[field]["type"])
		return string(b)
	}
	for _, c := range []struct{ model, field, want string }{
		{"WebSignupRequest", "contact", `["string","number"]`},    // FlexString
		{"WebSignupRequest", "iamUserId", `["integer","string"]`}, // Long
		{"WebSignupRequest", "shouldSendEmail", `["boolean","null"]`},
		{"RefreshTokenRequest", "tenantId", `["integer","string"]`}, // a pointer, but null is refused
		{"WebSignupRequest", "isTeam", `"boolean"`},
		{"UserDto", "id", `"integer"`},
		{"UserDto", "contact", `"string"`},
		{"MFAEnableResponse", "recoveryCodes", `"array"`},
		{"ErrorBody", "retriesLeft", `"integer"`},
		{"InviteUserUpdateRequest", "contact", `["string","number","null"]`},
		{"BulkInviteUserDto", "userName", `"string"`}, // embedded UserDto, flattened
	} {
		if got := typ(c.model, c.field); got != c.want {
			t.Errorf("%s.%s type %s, want %s", c.model, c.field, got, c.want)
		}
	}
	for _, c := range []struct {
		model string
		want  []string
	}{
		{"WebSignupRequest", []string{"emailId", "password"}}, // the handler's required checks
		{"UserDto", []string{"authUserId", "deleted", "emailVerified", "firstName", // no omitempty
			"id", "lastName", "status", "userName"}},
		{"ErrorBody", []string{"timestamp", "status", "error", "message", "path", "errorCode", "requestId"}},
		{"OtpResponse", nil},
	} {
		got := slices.Clone(s[c.model].Required)
		sort.Strings(got)
		want := slices.Clone(c.want)
		sort.Strings(want)
		if !slices.Equal(got, want) {
			t.Errorf("%s required %v, want %v", c.model, got, want)
		}
	}
}

// TestOpenAPIServed: the document is public, cacheable and revalidates.
func TestOpenAPIServed(t *testing.T) {
	f := newFixture(t, openSQLite(t))
	r := f.get("/v1/iam/openapi.json")
	f.want(r, http.StatusOK)
	if ct := r.header.Get("Content-Type"); ct != "application/json" {
		t.Errorf("Content-Type %q", ct)
	}
	if cc := r.header.Get("Cache-Control"); !strings.Contains(cc, "public") || !strings.Contains(cc, "max-age=") {
		t.Errorf("Cache-Control %q", cc)
	}
	want, _ := iamv1.OpenAPIForTest(f.URL)
	if r.raw != string(want) {
		t.Error("the served document is not the generated one")
	}
	if r.str("openapi") != "3.1.0" {
		t.Errorf("openapi %q", r.str("openapi"))
	}
	etag := r.header.Get("ETag")
	if etag == "" {
		t.Fatal("no ETag")
	}
	r = f.get("/v1/iam/openapi.json", "If-None-Match", etag)
	if r.status != http.StatusNotModified || r.raw != "" {
		t.Errorf("revalidation: %d %q", r.status, r.raw)
	}
	if r = f.get("/v1/iam/openapi.json", "If-None-Match", `"other"`); r.status != http.StatusOK {
		t.Errorf("another ETag: %d", r.status)
	}
}

// TestOpenAPICheckCatches shows the response check failing where it
// should, so that its silence in the other tests means something.
func TestOpenAPICheckCatches(t *testing.T) {
	c, err := loadChecker()
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, method, path, reqBody string
		status                      int
		ct, body                    string
	}{
		{"undocumented status", "POST", "/v1/iam/auth/sign-up/web", `{"emailId":"a@example.com","password":"x"}`, 418, "application/json", `{}`},
		{"wrong model", "POST", "/v1/iam/auth/sign-up/web", `{"emailId":"a@example.com","password":"x"}`, 201, "application/json", `{"accessToken":"x","emailVerified":false,"mfaenabled":false}`},
		{"extra field", "GET", "/v1/iam/auth/sign-in/web/mfa-status", ``, 200, "application/json", `{"enableStatus":true,"secret":"x"}`},
		{"wrong type", "GET", "/v1/iam/auth/sign-in/web/mfa-status", ``, 200, "application/json", `{"enableStatus":"yes"}`},
		{"text for JSON", "GET", "/v1/iam/auth/sign-in/web/mfa-status", ``, 200, "text/plain; charset=utf-8", `true`},
		{"JSON for text", "POST", "/v1/iam/auth/password/forgot", `{"userName":"a@example.com"}`, 200, "application/json", `{"message":"x"}`},
		{"body where none", "GET", "/v1/iam/auth/logout", ``, 200, "application/json", `{}`},
		{"error shape", "GET", "/v1/iam/users/7", ``, 404, "application/json", `{"error":{"code":"not_found"}}`},
		{"bad enum", "GET", "/v1/iam/users/7", ``, 404, "application/json", `{"timestamp":"t","status":404,"error":"Not Found","message":"m","path":"/","errorCode":"nope","requestId":"r"}`},
		{"accepted bad request", "POST", "/v1/iam/auth/sign-up/web", `{"emailId":5,"password":"x"}`, 201, "application/json", userDtoJSON},
		{"accepted without required", "POST", "/v1/iam/auth/sign-up/web", `{"emailId":"a@example.com"}`, 201, "application/json", userDtoJSON},
		{"accepted bad path id", "GET", "/v1/iam/users/0", ``, 200, "application/json", `{}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req := httptest.NewRequest(tc.method, tc.path, strings.NewReader(tc.reqBody))
			if tc.reqBody != "" {
				req.Header.Set("Content-Type", "application/json")
			}
			route, params := c.find(req)
			if route == nil {
				t.Fatal("no route")
			}
			bw := &bufferedWriter{h: http.Header{"Content-Type": {tc.ct}}, status: tc.status}
			bw.body.WriteString(tc.body)
			if err := c.check(req, []byte(tc.reqBody), route, params, bw); err == nil {
				t.Error("the check passed")
			} else {
				t.Log(err)
			}
		})
	}
	// A 401 must say how to authenticate.
	req401 := httptest.NewRequest("GET", "/v1/iam/users/7", nil)
	route401, params401 := c.find(req401)
	bw401 := &bufferedWriter{h: http.Header{"Content-Type": {"application/json"}}, status: 401}
	bw401.body.WriteString(`{"timestamp":"2026-01-01T00:00:00.000Z","status":401,"error":"Unauthorized","message":"m","path":"/","errorCode":"unauthenticated","requestId":"r"}`)
	if err := c.check(req401, nil, route401, params401, bw401); err == nil {
		t.Error("a 401 without WWW-Authenticate passed")
	}
	bw401.h.Set("WWW-Authenticate", `Bearer realm="iam"`)
	if err := c.check(req401, nil, route401, params401, bw401); err != nil {
		t.Errorf("a right 401: %v", err)
	}
	// And a right answer passes.
	req := httptest.NewRequest("POST", "/v1/iam/auth/sign-up/web", strings.NewReader(`{"emailId":"a@example.com","password":"x","contact":6512345678}`))
	req.Header.Set("Content-Type", "application/json")
	route, params := c.find(req)
	bw := &bufferedWriter{h: http.Header{"Content-Type": {"application/json"}}, status: 201}
	bw.body.WriteString(userDtoJSON)
	if err := c.check(req, []byte(`{"emailId":"a@example.com","password":"x","contact":6512345678}`), route, params, bw); err != nil {
		t.Errorf("a right answer: %v", err)
	}
}

const userDtoJSON = `{"authUserId":"u","deleted":false,"emailVerified":false,"firstName":"A","id":1,"lastName":"B","status":"active","userName":"a@example.com"}`
