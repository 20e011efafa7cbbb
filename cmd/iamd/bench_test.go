package main

import (
	"strconv"
	"strings"
	"testing"
)

// benchRow is one line of the bench table.
type benchRow struct {
	requests, errors int
	rate             float64
}

// benchTable parses the table `iamd bench` prints, by scenario.
func benchTable(t *testing.T, out string) map[string]benchRow {
	t.Helper()
	rows := map[string]benchRow{}
	lines := strings.Split(out, "\n")
	if len(lines) == 0 || !strings.Contains(lines[0], "scenario") {
		t.Fatalf("no table header:\n%s", out)
	}
	for _, l := range lines[1:] {
		f := strings.Fields(l)
		if len(f) != 10 {
			break
		}
		req, err1 := strconv.Atoi(f[2])
		rate, err2 := strconv.ParseFloat(f[3], 64)
		errs, err3 := strconv.Atoi(f[6])
		if err1 != nil || err2 != nil || err3 != nil {
			t.Fatalf("bad table row %q:\n%s", l, out)
		}
		rows[f[0]] = benchRow{req, errs, rate}
	}
	return rows
}

func TestBenchEveryScenarioAgainstAServer(t *testing.T) {
	dir := t.TempDir()
	s := startServer(t, nil, "--data-dir", dir, "--login-rate-limit", "0")
	r := iamd(t, nil, "bench", "--url", s.url, "--data-dir", dir, "--duration", "1s", "--concurrency", "4")
	if r.code != 0 {
		t.Fatalf("bench: %+v\nserver log:\n%s", r, s.log())
	}
	rows := benchTable(t, r.stdout)
	for _, name := range []string{"client-credentials", "password", "refresh", "introspect", "userinfo", "jwks"} {
		row, ok := rows[name]
		if !ok || row.requests == 0 || row.rate <= 0 || row.errors != 0 {
			t.Errorf("%s: %+v\n%s", name, row, r.stdout)
		}
	}
	if !strings.Contains(r.stderr, "/s") || !strings.Contains(r.stderr, "refresh") {
		t.Errorf("no progress on stderr:\n%s", r.stderr)
	}
	if !strings.Contains(r.stdout, "server RSS:") {
		t.Errorf("no server RSS:\n%s", r.stdout)
	}

	// A second run finds the app and user and gives them new secrets.
	r = iamd(t, nil, "bench", "--url", s.url+"/", "--data-dir", dir, "--duration", "300ms", "--scenario", "client-credentials,password")
	if r.code != 0 {
		t.Fatalf("second bench: %+v", r)
	}
	if rows := benchTable(t, r.stdout); rows["client-credentials"].rate <= 0 || rows["password"].rate <= 0 {
		t.Fatalf("second bench:\n%s", r.stdout)
	}
}

func TestBenchReportsThrottledLogins(t *testing.T) {
	dir := t.TempDir()
	s := startServer(t, nil, "--data-dir", dir) // the default per-IP login limit
	r := iamd(t, nil, "bench", "--url", s.url, "--data-dir", dir, "--duration", "1s", "--concurrency", "2", "--scenario", "password")
	if r.code != 1 || !strings.Contains(r.stderr, "requests failed") {
		t.Fatalf("throttled bench must fail: %+v", r)
	}
	row := benchTable(t, r.stdout)["password"]
	if row.errors == 0 || !strings.Contains(r.stdout, "429 slow_down") || !strings.Contains(r.stdout, "--login-rate-limit 0") {
		t.Fatalf("429s must be errors, with the hint:\n%s", r.stdout)
	}
}

func TestBenchBadInput(t *testing.T) {
	dir := t.TempDir()
	s := startServer(t, nil, "--data-dir", dir)
	for _, tc := range []struct {
		name string
		args []string
		code int
		want string
	}{
		{"unknown scenario", []string{"--scenario", "logins"}, 2, `unknown scenario "logins"`},
		{"negative duration", []string{"--duration", "-1s"}, 2, "--duration must be positive"},
		{"zero concurrency", []string{"--concurrency", "0"}, 2, "--concurrency must be between"},
		{"not a URL", []string{"--url", "localhost:8080"}, 2, "must be an http(s) URL"},
		{"stray argument", []string{"jwks"}, 2, `unexpected argument "jwks"`},
		{"nobody listening", []string{"--url", "http://" + freeAddr(t)}, 1, "cannot reach iamd"},
		{"another database", []string{"--url", s.url, "--data-dir", t.TempDir()}, 1, `does not serve realm "bench"`},
		{"hash: bad duration", []string{"hash", "--duration", "0s"}, 2, "--duration must be positive"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			args := append([]string{"bench", "--data-dir", dir}, tc.args...)
			if tc.args[0] == "hash" {
				args = append([]string{"bench"}, tc.args...)
			}
			r := iamd(t, nil, args...)
			if r.code != tc.code || !strings.Contains(r.stderr, tc.want) {
				t.Fatalf("want exit %d and %q, got %+v", tc.code, tc.want, r)
			}
		})
	}
}

func TestBenchHash(t *testing.T) {
	r := iamd(t, nil, "bench", "hash", "--duration", "300ms")
	if r.code != 0 || !strings.Contains(r.stdout, "argon2id m=1024 KiB t=1 p=1") {
		t.Fatalf("bench hash: %+v", r)
	}
	var rate float64
	for _, l := range strings.Split(r.stdout, "\n") {
		if v, ok := strings.CutPrefix(l, "rate: "); ok {
			rate, _ = strconv.ParseFloat(strings.TrimSuffix(v, " hashes/s"), 64)
		}
	}
	if rate <= 0 {
		t.Fatalf("no positive rate:\n%s", r.stdout)
	}
}
