package notify_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
	"time"
)

// mailpit is a real SMTP sink (github.com/axllent/mailpit) run as a child
// process for one test, queried through its HTTP API.
type mailpit struct {
	SMTPPort int
	api      string
	log      *bytes.Buffer
}

type mpAddress struct {
	Name    string
	Address string
}

// mpMessage is the part of mailpit's message JSON the tests look at.
type mpMessage struct {
	ID        string
	MessageID string
	From      mpAddress
	To        []mpAddress
	Subject   string
	Text      string
	HTML      string
}

// mailpitBinary finds the mailpit binary: $IAMD_MAILPIT, then
// $(go env GOPATH)/bin/mailpit, then $PATH. Without one the test is
// skipped, or fails when IAMD_REQUIRE_MAILPIT=1 (as in CI).
func mailpitBinary(t *testing.T) string {
	t.Helper()
	var candidates []string
	if p := os.Getenv("IAMD_MAILPIT"); p != "" {
		candidates = append(candidates, p)
	}
	if out, err := exec.Command("go", "env", "GOPATH").Output(); err == nil {
		for _, dir := range filepath.SplitList(string(bytes.TrimSpace(out))) {
			candidates = append(candidates, filepath.Join(dir, "bin", "mailpit"))
		}
	}
	if p, err := exec.LookPath("mailpit"); err == nil {
		candidates = append(candidates, p)
	}
	for _, p := range candidates {
		if st, err := os.Stat(p); err == nil && !st.IsDir() {
			return p
		}
	}
	msg := "mailpit not found (set IAMD_MAILPIT or go install github.com/axllent/mailpit@v1.33.1)"
	if os.Getenv("IAMD_REQUIRE_MAILPIT") == "1" {
		t.Fatal(msg)
	}
	t.Skip(msg)
	return ""
}

// freePort returns a TCP port on 127.0.0.1 that nothing listened on a
// moment ago.
func freePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// startMailpit runs mailpit with SMTP on smtpPort (0: a free one) and the
// API on a free port, waits until both answer, and stops it at cleanup.
func startMailpit(t *testing.T, smtpPort int, extra ...string) *mailpit {
	t.Helper()
	bin := mailpitBinary(t)
	if smtpPort == 0 {
		smtpPort = freePort(t)
	}
	httpPort := freePort(t)
	dir := t.TempDir()
	args := append([]string{
		"--smtp", "127.0.0.1:" + strconv.Itoa(smtpPort),
		"--listen", "127.0.0.1:" + strconv.Itoa(httpPort),
		"--database", filepath.Join(dir, "mp.db"),
		"--disable-version-check", "--smtp-disable-rdns",
	}, extra...)
	cmd := exec.Command(bin, args...)
	mp := &mailpit{SMTPPort: smtpPort, api: "http://127.0.0.1:" + strconv.Itoa(httpPort), log: &bytes.Buffer{}}
	cmd.Stdout, cmd.Stderr = mp.log, mp.log
	if err := cmd.Start(); err != nil {
		t.Fatalf("start mailpit: %v", err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	t.Cleanup(func() {
		_ = cmd.Process.Signal(os.Interrupt)
		select {
		case <-exited:
		case <-time.After(5 * time.Second):
			_ = cmd.Process.Kill()
			<-exited
		}
	})
	deadline := time.Now().Add(15 * time.Second)
	for {
		select {
		case err := <-exited:
			t.Fatalf("mailpit exited: %v\n%s", err, mp.log)
		default:
		}
		if mp.ready() {
			return mp
		}
		if time.Now().After(deadline) {
			t.Fatalf("mailpit not ready after 15s\n%s", mp.log)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func (mp *mailpit) ready() bool {
	resp, err := http.Get(mp.api + "/readyz")
	if err != nil {
		return false
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return false
	}
	c, err := net.DialTimeout("tcp", "127.0.0.1:"+strconv.Itoa(mp.SMTPPort), time.Second)
	if err != nil {
		return false
	}
	c.Close()
	return true
}

func (mp *mailpit) get(t *testing.T, path string, v any) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, mp.api+path, nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %s", path, resp.Status)
	}
	if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
		t.Fatalf("GET %s: %v", path, err)
	}
}

// Messages lists every message mailpit received, newest first, with full
// text (GET /api/v1/messages, then GET /api/v1/message/{ID} each).
func (mp *mailpit) Messages(t *testing.T) []mpMessage {
	t.Helper()
	var list struct {
		Messages []mpMessage `json:"messages"`
	}
	mp.get(t, "/api/v1/messages", &list)
	out := make([]mpMessage, 0, len(list.Messages))
	for _, m := range list.Messages {
		var full mpMessage
		mp.get(t, "/api/v1/message/"+m.ID, &full)
		out = append(out, full)
	}
	return out
}

// Only returns the single message mailpit received, failing otherwise.
func (mp *mailpit) Only(t *testing.T) mpMessage {
	t.Helper()
	msgs := mp.Messages(t)
	if len(msgs) != 1 {
		t.Fatalf("mailpit holds %d messages, want exactly 1: %s", len(msgs), describe(msgs))
	}
	return msgs[0]
}

func describe(msgs []mpMessage) string {
	var b bytes.Buffer
	for _, m := range msgs {
		fmt.Fprintf(&b, "[%s to %v %q] ", m.MessageID, m.To, m.Subject)
	}
	return b.String()
}

// unseal stands in for the seal package: a "sealed" secret is the
// plain one behind a fixed prefix, anything else fails to open.
func unseal(b []byte) ([]byte, error) {
	p, ok := bytes.CutPrefix(b, []byte("sealed:"))
	if !ok {
		return nil, errors.New("not sealed")
	}
	return p, nil
}
