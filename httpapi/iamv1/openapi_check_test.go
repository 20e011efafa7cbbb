package iamv1_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"

	"iamd/httpapi/iamv1"
)

// The fixture's server answers every request of every test of this
// package through checkOpenAPI, which holds the answer (and an accepted
// request) to the OpenAPI document GET /v1/iam/openapi.json serves: a
// status the document does not list, a body that does not match its
// schema, a body where it promises none, or a 2xx for a request the
// document calls invalid fails the test that sent it.
//
// The check is stricter than the served document in one way: answer
// models are closed (additionalProperties false), so that a handler
// writing a field, or another model, than the documented one is caught.

// openAPIChecker is the document loaded for validation, and its routes.
type openAPIChecker struct {
	doc    *openapi3.T
	mux    *http.ServeMux // the document's operations, to find one by request
	routes map[string]*routers.Route
}

var loadChecker = sync.OnceValues(func() (*openAPIChecker, error) {
	raw, err := iamv1.OpenAPIForTest("")
	if err != nil {
		return nil, err
	}
	doc, err := loadOpenAPI(raw, true)
	if err != nil {
		return nil, err
	}
	c := &openAPIChecker{doc: doc, mux: http.NewServeMux(), routes: map[string]*routers.Route{}}
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			pattern := method + " " + path
			c.routes[pattern] = &routers.Route{Spec: doc, Path: path, PathItem: item, Method: method, Operation: op}
			c.mux.HandleFunc(pattern, func(http.ResponseWriter, *http.Request) {})
		}
	}
	return c, nil
})

// loadOpenAPI loads and validates an OpenAPI document; closed makes the
// answer models closed (see above).
func loadOpenAPI(raw []byte, closed bool) (*openapi3.T, error) {
	if closed {
		var m map[string]any
		if err := json.Unmarshal(raw, &m); err != nil {
			return nil, err
		}
		closeAnswerModels(m)
		var err error
		if raw, err = json.Marshal(m); err != nil {
			return nil, err
		}
	}
	doc, err := openapi3.NewLoader().LoadFromData(raw)
	if err != nil {
		return nil, fmt.Errorf("load: %w", err)
	}
	if err := doc.Validate(context.Background()); err != nil {
		return nil, fmt.Errorf("validate: %w", err)
	}
	return doc, nil
}

// closeAnswerModels sets additionalProperties false on every component
// schema an answer reaches.
func closeAnswerModels(doc map[string]any) {
	comps := doc["components"].(map[string]any)
	schemas, responses := comps["schemas"].(map[string]any), comps["responses"].(map[string]any)
	seen := map[string]bool{}
	var walk func(v any)
	walk = func(v any) {
		switch x := v.(type) {
		case map[string]any:
			ref, _ := x["$ref"].(string)
			if name, ok := strings.CutPrefix(ref, "#/components/responses/"); ok {
				walk(responses[name])
			}
			if name, ok := strings.CutPrefix(ref, "#/components/schemas/"); ok && !seen[name] {
				seen[name] = true
				s := schemas[name].(map[string]any)
				if _, ok := s["additionalProperties"]; !ok && s["type"] == "object" {
					s["additionalProperties"] = false
				}
				walk(s)
			}
			for _, y := range x {
				walk(y)
			}
		case []any:
			for _, y := range x {
				walk(y)
			}
		}
	}
	for _, item := range doc["paths"].(map[string]any) {
		for _, op := range item.(map[string]any) {
			walk(op.(map[string]any)["responses"])
		}
	}
}

// find is the documented operation r calls and its path parameters; nil
// for requests outside the document (the OpenID endpoints, unknown
// paths, a method a path does not have).
func (c *openAPIChecker) find(r *http.Request) (*routers.Route, map[string]string) {
	_, pattern := c.mux.Handler(r)
	route := c.routes[pattern]
	if route == nil {
		return nil, nil
	}
	params := map[string]string{}
	tmpl, got := strings.Split(route.Path, "/"), strings.Split(r.URL.Path, "/")
	for i, seg := range tmpl {
		if strings.HasPrefix(seg, "{") && i < len(got) {
			params[strings.Trim(seg, "{}")] = got[i]
		}
	}
	return route, params
}

// bufferedWriter holds an answer back until it has been checked, so that
// the test that sent the request is still waiting for it.
type bufferedWriter struct {
	h      http.Header
	status int
	body   bytes.Buffer
}

func (b *bufferedWriter) Header() http.Header { return b.h }
func (b *bufferedWriter) WriteHeader(status int) {
	if b.status == 0 {
		b.status = status
	}
}
func (b *bufferedWriter) Write(p []byte) (int, error) {
	b.WriteHeader(http.StatusOK)
	return b.body.Write(p)
}

// checkOpenAPI wraps the fixture's handler with the check; failures are
// t's.
func checkOpenAPI(t *testing.T, next http.Handler) http.Handler {
	c, err := loadChecker()
	if err != nil {
		t.Fatalf("the OpenAPI document: %v", err)
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		route, params := c.find(r)
		if route == nil {
			next.ServeHTTP(w, r)
			return
		}
		reqBody, _ := io.ReadAll(r.Body)
		r.Body = io.NopCloser(bytes.NewReader(reqBody))
		bw := &bufferedWriter{h: w.Header()}
		next.ServeHTTP(bw, r)
		if bw.status == 0 {
			bw.status = http.StatusOK
		}
		if err := c.check(r, reqBody, route, params, bw); err != nil {
			t.Errorf("OpenAPI: %s %s → %d: %v\nrequest: %.300s\nanswer: %.500s", r.Method, r.URL.RequestURI(), bw.status, err, reqBody, bw.body.String())
		}
		recordCoverage(t, route.Operation.OperationID, bw.status)
		w.WriteHeader(bw.status)
		_, _ = w.Write(bw.body.Bytes())
	})
}

// check validates one exchange against the document.
func (c *openAPIChecker) check(r *http.Request, reqBody []byte, route *routers.Route, params map[string]string, bw *bufferedWriter) error {
	ctx := context.Background()
	req := r.Clone(ctx)
	req.Body = io.NopCloser(bytes.NewReader(reqBody))
	in := &openapi3filter.RequestValidationInput{
		Request: req, PathParams: params, Route: route,
		Options: &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc, MultiError: true},
	}
	// A request the server accepted must be one the document allows.
	if bw.status < 300 {
		if err := openapi3filter.ValidateRequest(ctx, in); err != nil {
			return fmt.Errorf("accepted a request the document calls invalid: %w", err)
		}
	}
	res := route.Operation.Responses.Status(bw.status)
	if res == nil {
		return fmt.Errorf("status %d is not documented", bw.status)
	}
	if len(res.Value.Content) == 0 && bw.body.Len() > 0 {
		return fmt.Errorf("status %d is documented without a body", bw.status)
	}
	if len(res.Value.Content) > 0 && bw.h.Get("Content-Type") == "" {
		return fmt.Errorf("no Content-Type")
	}
	out := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: in, Status: bw.status, Header: bw.h,
		Body:    io.NopCloser(bytes.NewReader(bw.body.Bytes())),
		Options: &openapi3filter.Options{IncludeResponseStatus: true, MultiError: true},
	}
	return openapi3filter.ValidateResponse(ctx, out)
}

// coverage are the (test, operation, status) triples checked.
var coverage sync.Map

// recordCoverage notes a checked answer; with IAMD_OPENAPI_COVERAGE set
// to a file, it is appended there too (operationId status), for a report
// of what the package's tests reach.
func recordCoverage(t *testing.T, opID string, status int) {
	coverage.Store(t.Name()+" "+opID+" "+strconv.Itoa(status), true)
	if p := os.Getenv("IAMD_OPENAPI_COVERAGE"); p != "" {
		if f, err := os.OpenFile(p, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644); err == nil {
			fmt.Fprintf(f, "%s %d\n", opID, status)
			f.Close()
		}
	}
}

// checked reports whether test t got an answer of opID with status
// checked.
func checked(t *testing.T, opID string, status int) bool {
	_, ok := coverage.Load(t.Name() + " " + opID + " " + strconv.Itoa(status))
	return ok
}
