package iamv1

import (
	"encoding/json"
	"slices"
)

// OpenAPIForTest is the OpenAPI document served at publicURL.
func OpenAPIForTest(publicURL string) ([]byte, error) {
	return json.Marshal(openAPIDocument(publicURL))
}

// RoutesForTest are the patterns the last Mount registered.
func (a *API) RoutesForTest() []string { return slices.Clone(a.routes) }

// OpenAPIAccessForTest maps "METHOD path" of every documented operation
// to who may call it: "public", "user" or "admin".
func OpenAPIAccessForTest() map[string]string {
	out := map[string]string{}
	for _, op := range apiOps {
		out[op.method+" "+op.path] = [...]string{"public", "user", "admin"}[op.access]
	}
	return out
}
