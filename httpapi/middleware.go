package httpapi

import (
	"context"
	"log/slog"
	"net/http"
	"strconv"
	"time"
)

// Middleware wraps the server's mux with what every request gets: a request
// id (X-Request-Id, echoed), a body size limit, panic recovery, an access log
// line and metrics labelled by the matched route pattern.
type Middleware struct {
	Logger       *slog.Logger
	Metrics      *Metrics
	MaxBodyBytes int64
	// OnPanic renders the 500 after a recovered panic; JSONError if nil.
	OnPanic ErrorWriter
}

// Wrap returns next with the middleware applied. next is expected to be an
// *http.ServeMux (or anything that sets Request.Pattern).
func (m *Middleware) Wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		id := r.Header.Get("X-Request-Id")
		if !saneRequestID(id) {
			id = newRequestID()
		}
		w.Header().Set("X-Request-Id", id)
		r = r.WithContext(context.WithValue(r.Context(), requestIDKey{}, id))
		if r.Body != nil && m.MaxBodyBytes > 0 {
			r.Body = http.MaxBytesReader(w, r.Body, m.MaxBodyBytes)
		}
		rec := &statusRecorder{ResponseWriter: w}
		if m.Metrics != nil {
			m.Metrics.inflight.Inc()
			defer m.Metrics.inflight.Dec()
		}
		defer func() {
			if p := recover(); p != nil {
				if p == http.ErrAbortHandler {
					panic(p)
				}
				m.Logger.Error("panic", "request_id", id, "route", r.Pattern, "panic", p)
				if !rec.wrote {
					ew := m.OnPanic
					if ew == nil {
						ew = JSONError
					}
					ew(rec, r, errPanic)
				}
			}
			m.observe(r, rec, start)
		}()
		next.ServeHTTP(rec, r)
	})
}

func (m *Middleware) observe(r *http.Request, rec *statusRecorder, start time.Time) {
	// The catch-all "/" is where requests no endpoint claims end up; one
	// label for them all keeps scanners from minting label values.
	route := r.Pattern
	if route == "" || route == "/" {
		route = "unmatched"
	}
	status := rec.status
	if status == 0 {
		status = http.StatusOK
	}
	elapsed := time.Since(start)
	if m.Metrics != nil {
		m.Metrics.requests.WithLabelValues(route, r.Method, strconv.Itoa(status)).Inc()
		m.Metrics.latency.WithLabelValues(route).Observe(elapsed.Seconds())
	}
	// The path is logged without its query: queries can carry codes and tokens.
	m.Logger.LogAttrs(r.Context(), slog.LevelInfo, "request",
		slog.String("request_id", RequestID(r.Context())),
		slog.String("method", r.Method),
		slog.String("path", r.URL.Path),
		slog.String("route", route),
		slog.Int("status", status),
		slog.Int64("bytes", rec.bytes),
		slog.Float64("duration_ms", float64(elapsed.Microseconds())/1000),
		slog.String("remote", r.RemoteAddr),
	)
}

type panicError struct{}

func (panicError) Error() string { return "panic in handler" }

var errPanic error = panicError{}

type statusRecorder struct {
	http.ResponseWriter
	status int
	bytes  int64
	wrote  bool
}

func (s *statusRecorder) WriteHeader(code int) {
	if !s.wrote {
		s.status, s.wrote = code, true
	}
	s.ResponseWriter.WriteHeader(code)
}

func (s *statusRecorder) Write(b []byte) (int, error) {
	if !s.wrote {
		s.status, s.wrote = http.StatusOK, true
	}
	n, err := s.ResponseWriter.Write(b)
	s.bytes += int64(n)
	return n, err
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (s *statusRecorder) Unwrap() http.ResponseWriter { return s.ResponseWriter }

// Flush passes through for streaming responses.
func (s *statusRecorder) Flush() {
	if f, ok := s.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}
