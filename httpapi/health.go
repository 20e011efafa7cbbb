package httpapi

import (
	"context"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Pinger is what readiness asks: can the database be reached?
type Pinger interface {
	Ping(ctx context.Context) error
}

// MountHealth adds GET /healthz (the process answers), GET /readyz (the
// database answers within two seconds; 503 otherwise) and GET /metrics.
func MountHealth(mux *http.ServeMux, db Pinger, m *Metrics) {
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		WriteJSON(w, http.StatusOK, map[string]string{"status": "ok"})
	})
	mux.Handle("GET /readyz", Handle(JSONError, func(w http.ResponseWriter, r *http.Request) error {
		ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
		defer cancel()
		if err := db.Ping(ctx); err != nil {
			WriteJSON(w, http.StatusServiceUnavailable, map[string]any{"status": "unavailable", "database": "unreachable"})
			return nil
		}
		WriteJSON(w, http.StatusOK, map[string]string{"status": "ready", "database": "ok"})
		return nil
	}))
	mux.Handle("GET /metrics", promhttp.HandlerFor(m.Registry, promhttp.HandlerOpts{Registry: m.Registry}))
}

// NotFound answers every path no surface claims with a JSON 404.
func NotFound(w http.ResponseWriter, r *http.Request) {
	WriteJSON(w, http.StatusNotFound, map[string]any{"error": map[string]string{
		"code": "not_found", "message": "no such endpoint: " + r.Method + " " + r.URL.Path, "request_id": RequestID(r.Context()),
	}})
}
