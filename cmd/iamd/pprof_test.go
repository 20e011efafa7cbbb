package main

import (
	"net/http"
	"strings"
	"testing"
)

func TestPprofOnlyWhenAskedAndApart(t *testing.T) {
	s := startServer(t, nil, "--data-dir", t.TempDir())
	if code, _, _ := s.get("/debug/pprof/"); code != http.StatusNotFound {
		t.Fatalf("pprof must not be on the public listener: %d", code)
	}
	s.stop()

	addr := freeAddr(t)
	s = startServer(t, nil, "--data-dir", t.TempDir(), "--pprof-addr", addr)
	resp, err := http.Get("http://" + addr + "/debug/pprof/goroutine?debug=1")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("pprof listener: %s", resp.Status)
	}
	if code, _, _ := s.get("/debug/pprof/"); code != http.StatusNotFound {
		t.Fatalf("pprof leaked onto the public listener: %d", code)
	}
	s.stop()

	r := iamd(t, nil, "serve", "--data-dir", t.TempDir(), "--pprof-addr", "nonsense")
	if r.code != 2 || !strings.Contains(r.stderr, "--pprof-addr") {
		t.Fatalf("bad --pprof-addr: %+v", r)
	}
}
