package httpapi

import (
	"net/http"
)

// HandlerFunc is an HTTP handler that returns its error instead of writing
// it, so that each surface renders errors in one place.
type HandlerFunc func(w http.ResponseWriter, r *http.Request) error

// ErrorWriter renders err in a surface's wire format. It must write a
// response (status and body) and never panic.
type ErrorWriter func(w http.ResponseWriter, r *http.Request, err error)

// Handle adapts h to http.Handler, rendering a returned error with ew.
func Handle(ew ErrorWriter, h HandlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := h(w, r); err != nil {
			ew(w, r, err)
		}
	})
}
