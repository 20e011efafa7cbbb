package iamv1

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"sort"
	"strconv"
	"strings"
)

// openAPIPath is where the surface describes itself.
const openAPIPath = "/v1/iam/openapi.json"

// The OpenAPI 3.1 document of this surface is built from code, not typed
// by hand: the operations from the table in openapi_ops.go (which a test
// holds equal to the routes Mount registers), their models' JSON Schemas
// by reflection over the Go types the handlers decode and encode
// (openapi_schema.go). So a changed model or route changes the document.

// access says who may call an operation.
type access int

const (
	accessPublic access = iota // no token
	accessUser                 // an access token of the served realm
	accessAdmin                // one holding realm role admin, or a master-realm administrator's
)

// param is a path or query parameter.
type param struct {
	in, name string
	required bool
	schema   map[string]any
	desc     string
}

// reply is a documented answer: status, the document's text for it, and
// the body — a model value whose Go type is its schema, textBody for the
// document's "string" (text/plain), or nil for none.
type reply struct {
	status int
	text   string
	model  any
}

// textBody marks a text/plain answer, as a Spring controller returning
// String writes it.
type textBody struct{}

// bareString marks a request body the document types as a bare string:
// a JSON string, {"<field>": …}, or text/plain (stringBody).
type bareString string

// formBody marks a form request body (urlencoded or multipart) with these
// optional string fields.
type formBody []string

// apiOp is one operation: its A.2 row of ENDPOINTS.md (0 for iamd's own),
// route, operationId, tag (the document's controller), summary, who may
// call it, parameters, request body (a model value, []model, bareString
// or formBody; nil for none), success answers and documented errors.
type apiOp struct {
	row          int
	method, path string
	id, tag      string
	summary      string
	note         string // description, when the summary is not enough
	access       access
	params       []param
	body         any
	ok           []reply
	errs         []reply
}

func qParam(name string, required bool, desc string) param {
	return param{in: "query", name: name, required: required, schema: map[string]any{"type": "string"}, desc: desc}
}

func qBool(name, desc string) param {
	return param{in: "query", name: name, schema: map[string]any{"type": "boolean"}, desc: desc}
}

func pathID(desc string) param {
	return param{in: "path", name: "id", required: true, desc: desc,
		schema: map[string]any{"type": "integer", "format": "int64", "minimum": 1}}
}

func pathEmail() param {
	return param{in: "path", name: "email", required: true, schema: map[string]any{"type": "string"}, desc: "The user's e-mail address (exact, ignoring case)."}
}

func answer(status int, text string, model any) reply { return reply{status, text, model} }
func errAns(status int, text string) reply            { return reply{status: status, text: text} }

// The document's generic error rows.
var (
	err401 = errAns(http.StatusUnauthorized, "Unauthorized")
	err403 = errAns(http.StatusForbidden, "Forbidden")
	err404 = errAns(http.StatusNotFound, "Not Found")
)

// tokenResult is the model the token operations answer.
var tokenResult = AuthenticationResultTypeDto{}

// mountOpenAPI serves the document, built once: it only changes with the
// binary (and PublicURL), so caches may keep it and revalidate by ETag.
func (a *API) mountOpenAPI(mux *http.ServeMux) {
	doc, err := json.Marshal(openAPIDocument(a.PublicURL))
	if err != nil {
		panic("iamv1: the OpenAPI document does not marshal: " + err.Error())
	}
	sum := sha256.Sum256(doc)
	etag := `"` + base64.RawURLEncoding.EncodeToString(sum[:16]) + `"`
	a.handle(mux, "GET "+openAPIPath, func(w http.ResponseWriter, r *http.Request) error {
		h := w.Header()
		h.Set("Cache-Control", "public, max-age=3600")
		h.Set("ETag", etag)
		if match := r.Header.Get("If-None-Match"); match != "" && etagMatch(match, etag) {
			w.WriteHeader(http.StatusNotModified)
			return nil
		}
		h.Set("Content-Type", "application/json")
		h.Set("Content-Length", strconv.Itoa(len(doc)))
		_, _ = w.Write(doc)
		return nil
	})
}

// etagMatch reports whether an If-None-Match list names etag (weak
// comparison, "*" matches).
func etagMatch(list, etag string) bool {
	for _, t := range strings.Split(list, ",") {
		t = strings.TrimPrefix(strings.TrimSpace(t), "W/")
		if t == "*" || t == etag {
			return true
		}
	}
	return false
}

// openAPIDocument is the OpenAPI 3.1 document of the operations in
// apiOps, served at publicURL ("" for none).
func openAPIDocument(publicURL string) map[string]any {
	g := newSchemaGen()
	shared := map[string]any{} // components/responses
	paths := map[string]any{}
	for i := range apiOps {
		op := &apiOps[i]
		item, _ := paths[op.path].(map[string]any)
		if item == nil {
			item = map[string]any{}
			paths[op.path] = item
		}
		item[strings.ToLower(op.method)] = operationObject(g, shared, op)
	}
	doc := map[string]any{
		"openapi": "3.1.0",
		"info": map[string]any{
			"title":   "IAM API (/v1/iam)",
			"version": "1.0",
			"description": "iamd's implementation of the IAM API (document 000): user accounts, sign-up, " +
				"sign-in, tokens, MFA, organizations (tenantId) and their people, for one realm. " +
				"Every error answers the ErrorBody object.",
		},
		"tags":  controllerTags(),
		"paths": paths,
		"components": map[string]any{
			"schemas":   g.components(),
			"responses": shared,
			"securitySchemes": map[string]any{
				"accessToken": map[string]any{"type": "apiKey", "in": "header", "name": "x-access-token",
					"description": "The access token a sign-in answered (accessToken)."},
				"bearer": map[string]any{"type": "http", "scheme": "bearer", "bearerFormat": "JWT",
					"description": "The same access token as Authorization: Bearer."},
				"accessCookie": map[string]any{"type": "apiKey", "in": "cookie", "name": AccessCookie,
					"description": "The cookie web sign-in sets (not sent on cross-site requests)."},
			},
		},
		"security": tokenSecurity,
	}
	if publicURL != "" {
		doc["servers"] = []any{map[string]any{"url": publicURL}}
	}
	return doc
}

// tokenSecurity is "any one of the three ways to send the token".
var tokenSecurity = []any{
	map[string]any{"accessToken": []string{}},
	map[string]any{"bearer": []string{}},
	map[string]any{"accessCookie": []string{}},
}

// controllerTags are the document's controllers (ENDPOINTS.md A.1).
func controllerTags() []any {
	var tags []any
	for _, t := range [][2]string{
		{"sign-up-controller", "Auth Management"},
		{"email-verification-controller", "User email verification"},
		{"logout-controller", "Logout Controller"},
		{"mobile-social-auth-controller", "Social Auth Management"},
		{"sign-in-controller", "Mobile Auth Management"},
		{"social-auth-controller", "Social Auth Management"},
		{"apple-auth-controller", "Apple Auth Controller"},
		{"token-controller", "Token Controller"},
		{"user-controller", "User Management"},
		{"mobile-email-linking-controller", "Mobile user Email link"},
		{"openapi", "This description"},
	} {
		tags = append(tags, map[string]any{"name": t[0], "description": t[1]})
	}
	return tags
}

func operationObject(g *schemaGen, shared map[string]any, op *apiOp) map[string]any {
	o := map[string]any{
		"operationId": op.id,
		"summary":     op.summary,
		"tags":        []string{op.tag},
		"responses":   opResponses(g, shared, op),
	}
	desc := op.note
	switch op.access {
	case accessPublic:
		o["security"] = []any{} // overrides the document's default
	case accessAdmin:
		desc = strings.TrimSpace(desc + " Administrators only: realm role admin, or a master-realm administrator.")
	}
	if op.row > 0 {
		desc = strings.TrimSpace(desc + " (Document 000, operation #" + strconv.Itoa(op.row) + ".)")
	}
	if desc != "" {
		o["description"] = desc
	}
	var params []any
	for _, p := range op.params {
		pm := map[string]any{"name": p.name, "in": p.in, "required": p.required, "schema": p.schema}
		if p.desc != "" {
			pm["description"] = p.desc
		}
		params = append(params, pm)
	}
	if params != nil {
		o["parameters"] = params
	}
	if op.body != nil {
		o["requestBody"] = opRequestBody(g, op.body)
	}
	return o
}

// requestBody describes a body of the kinds apiOp.body allows.
func opRequestBody(g *schemaGen, body any) map[string]any {
	var content map[string]any
	switch b := body.(type) {
	case bareString:
		f := string(b)
		content = map[string]any{
			"application/json": map[string]any{"schema": map[string]any{"oneOf": []any{
				map[string]any{"type": "string"},
				map[string]any{"type": "object", "required": []string{f},
					"properties": map[string]any{f: map[string]any{"type": "string"}}},
			}}},
			"text/plain": map[string]any{"schema": map[string]any{"type": "string"}},
		}
	case formBody:
		props := map[string]any{}
		for _, f := range b {
			props[f] = map[string]any{"type": "string"}
		}
		s := map[string]any{"schema": map[string]any{"type": "object", "properties": props}}
		content = map[string]any{"application/x-www-form-urlencoded": s, "multipart/form-data": s}
	default:
		content = map[string]any{"application/json": map[string]any{"schema": g.request(body)}}
	}
	return map[string]any{"required": true, "content": content}
}

// responses are op's success answers and errors: the document's, and the
// ones every operation of iamd may give — 400 for bad input where it
// takes any, 401 without a valid token, 403 for a non-administrator, 429
// when an address tries too often, 500 and 503.
func opResponses(g *schemaGen, shared map[string]any, op *apiOp) map[string]any {
	out := map[string]any{}
	for _, r := range op.ok {
		res := map[string]any{"description": r.text}
		switch m := r.model.(type) {
		case nil:
		case textBody:
			res["content"] = map[string]any{"text/plain": map[string]any{"schema": map[string]any{"type": "string"}}}
		default:
			res["content"] = map[string]any{"application/json": map[string]any{"schema": g.response(m)}}
		}
		out[strconv.Itoa(r.status)] = res
	}
	errs := map[int][]string{}
	for _, r := range op.errs {
		errs[r.status] = append(errs[r.status], r.text)
	}
	extra := func(status int, text string) {
		if _, ok := errs[status]; !ok {
			errs[status] = []string{text}
		}
	}
	if op.body != nil || len(op.params) > 0 {
		if _, ok := errs[http.StatusBadRequest]; ok {
			errs[http.StatusBadRequest] = append(errs[http.StatusBadRequest], "Bad input (field names it)")
		}
		extra(http.StatusBadRequest, "Bad input (field names it)")
	}
	if op.access != accessPublic {
		extra(http.StatusUnauthorized, "Unauthorized")
	}
	if op.access == accessAdmin {
		extra(http.StatusForbidden, "Forbidden")
	}
	extra(http.StatusTooManyRequests, "Too Many Requests")
	extra(http.StatusInternalServerError, "Internal Server Error")
	extra(http.StatusServiceUnavailable, "Service Unavailable")
	statuses := make([]int, 0, len(errs))
	for s := range errs {
		statuses = append(statuses, s)
	}
	sort.Ints(statuses)
	errSchema := g.response(ErrorBody{})
	for _, s := range statuses {
		res := map[string]any{
			"description": strings.Join(errs[s], " / "),
			"content":     map[string]any{"application/json": map[string]any{"schema": errSchema}},
		}
		switch s {
		case http.StatusUnauthorized:
			res["headers"] = map[string]any{"WWW-Authenticate": headerDoc(`Always Bearer realm="iam".`)}
		case http.StatusTooManyRequests, http.StatusServiceUnavailable:
			res["headers"] = map[string]any{"Retry-After": headerDoc("Seconds to wait before trying again.")}
		}
		if name := sharedResponses[strconv.Itoa(s)+" "+res["description"].(string)]; name != "" {
			shared[name] = res
			out[strconv.Itoa(s)] = map[string]any{"$ref": "#/components/responses/" + name}
			continue
		}
		out[strconv.Itoa(s)] = res
	}
	return out
}

// sharedResponses are the error answers many operations give alike,
// written once under components/responses.
var sharedResponses = map[string]string{
	"400 Bad input (field names it)": "BadInput",
	"401 Unauthorized":               "Unauthorized",
	"403 Forbidden":                  "Forbidden",
	"404 Not Found":                  "NotFound",
	"429 Too Many Requests":          "TooManyRequests",
	"500 Internal Server Error":      "InternalError",
	"503 Service Unavailable":        "Unavailable",
}

// headerDoc is a header writeError always sets on the answer.
func headerDoc(desc string) map[string]any {
	return map[string]any{"description": desc, "required": true, "schema": map[string]any{"type": "string"}}
}
