package httpapi_test

import (
	"bytes"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"iamd/httpapi"
	"iamd/iam"
)

// server mounts one JSON endpoint that decodes a body the way every
// surface does, behind the shared middleware.
func server(t *testing.T, logs io.Writer) *httptest.Server {
	mux := http.NewServeMux()
	mux.Handle("POST /echo", httpapi.Handle(httpapi.JSONError, func(w http.ResponseWriter, r *http.Request) error {
		var in struct {
			Name  string `json:"name"`
			Count int    `json:"count"`
		}
		if err := httpapi.DecodeJSON(r, &in); err != nil {
			return err
		}
		if in.Name == "" {
			return iam.Invalid("name", "name is required")
		}
		httpapi.WriteJSON(w, 200, in)
		return nil
	}))
	mux.HandleFunc("GET /panic", func(w http.ResponseWriter, r *http.Request) { panic("boom") })
	mux.Handle("GET /internal", httpapi.Handle(httpapi.JSONError, func(w http.ResponseWriter, r *http.Request) error {
		return iam.Internal(io.ErrUnexpectedEOF)
	}))
	mw := &httpapi.Middleware{Logger: slog.New(slog.NewJSONHandler(logs, nil)), Metrics: httpapi.NewMetrics(), MaxBodyBytes: 1024}
	ts := httptest.NewServer(mw.Wrap(mux))
	t.Cleanup(ts.Close)
	return ts
}

type errBody struct {
	Error struct {
		Code      string `json:"code"`
		Message   string `json:"message"`
		Field     string `json:"field"`
		RequestID string `json:"request_id"`
	} `json:"error"`
}

func TestJSONInputErrors(t *testing.T) {
	ts := server(t, io.Discard)
	for _, tc := range []struct {
		name, ctype, body string
		status            int
		code, want        string
	}{
		{"ok", "application/json", `{"name":"x","count":2}`, 200, "", ""},
		{"empty", "application/json", ``, 400, "invalid_argument", "empty"},
		{"malformed", "application/json", `{"name":`, 400, "invalid_argument", "not valid JSON"},
		{"syntax", "application/json", `{"name" "x"}`, 400, "invalid_argument", "not valid JSON"},
		{"wrong type", "application/json", `{"name":"x","count":"two"}`, 400, "invalid_argument", `"count" must be a number`},
		{"array not object", "application/json", `[1,2]`, 400, "invalid_argument", "must be an object"},
		{"trailing data", "application/json", `{"name":"x"} {"name":"y"}`, 400, "invalid_argument", "single JSON value"},
		{"wrong content type", "text/plain", `{"name":"x"}`, 400, "invalid_argument", "application/json"},
		{"missing field", "application/json", `{}`, 400, "invalid_argument", "name is required"},
		{"too large", "application/json", `{"name":"` + strings.Repeat("a", 2000) + `"}`, 413, "too_large", "too large"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resp, err := http.Post(ts.URL+"/echo", tc.ctype, strings.NewReader(tc.body))
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			b, _ := io.ReadAll(resp.Body)
			if resp.StatusCode != tc.status {
				t.Fatalf("status %d, want %d: %s", resp.StatusCode, tc.status, b)
			}
			if tc.status == 200 {
				return
			}
			var e errBody
			if err := json.Unmarshal(b, &e); err != nil {
				t.Fatalf("error body is not JSON: %s", b)
			}
			if e.Error.Code != tc.code || !strings.Contains(e.Error.Message, tc.want) || e.Error.RequestID == "" {
				t.Fatalf("error %+v, want code %s mentioning %q", e.Error, tc.code, tc.want)
			}
		})
	}
}

func TestPanicAndInternalErrorsHideDetails(t *testing.T) {
	var logs bytes.Buffer
	ts := server(t, &logs)
	for _, path := range []string{"/panic", "/internal"} {
		resp, err := http.Get(ts.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		var e errBody
		_ = json.Unmarshal(b, &e)
		if resp.StatusCode != 500 || e.Error.Message != "internal error" || e.Error.RequestID == "" {
			t.Fatalf("%s: %d %s", path, resp.StatusCode, b)
		}
		if strings.Contains(string(b), "boom") || strings.Contains(string(b), "unexpected EOF") {
			t.Fatalf("%s leaked internals: %s", path, b)
		}
		if !strings.Contains(logs.String(), e.Error.RequestID) {
			t.Fatalf("the request id of a 500 must be in the log to find the cause")
		}
	}
	// The server still serves after a panic.
	resp, err := http.Post(ts.URL+"/echo", "application/json", strings.NewReader(`{"name":"after"}`))
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("after panic: %v %v", resp, err)
	}
	resp.Body.Close()
}
