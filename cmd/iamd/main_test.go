package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// The tests in this package run the real binary, as an operator would.
var binary string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "iamd-bin-")
	if err != nil {
		panic(err)
	}
	binary = filepath.Join(dir, "iamd")
	out, err := exec.Command("go", "build", "-o", binary, ".").CombinedOutput()
	if err != nil {
		fmt.Fprintf(os.Stderr, "build iamd: %v\n%s", err, out)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// result is a finished admin command.
type result struct {
	code           int
	stdout, stderr string
}

// iamd runs one command to completion with a test-friendly environment.
func iamd(t *testing.T, env []string, args ...string) result {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, binary, args...)
	cmd.Env = append(baseEnv(), env...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatalf("run iamd %v: %v", args, err)
	}
	return result{code, out.String(), errb.String()}
}

// baseEnv keeps PATH/HOME but no IAMD_* settings of the developer's shell,
// and uses cheap argon2 parameters so that tests spend time on behaviour.
func baseEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "IAMD_") {
			env = append(env, kv)
		}
	}
	return append(env, "IAMD_ARGON2_MEMORY=1024", "IAMD_ARGON2_TIME=1")
}

// server is a running `iamd serve`.
type server struct {
	t      *testing.T
	cmd    *exec.Cmd
	url    string
	mu     sync.Mutex
	stderr bytes.Buffer
	done   chan error
	ready  time.Duration
}

func freeAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

// startServer starts iamd serve and waits until /readyz answers 200.
func startServer(t *testing.T, env []string, args ...string) *server {
	t.Helper()
	addr := freeAddr(t)
	s := &server{t: t, url: "http://" + addr, done: make(chan error, 1)}
	s.cmd = exec.Command(binary, append([]string{"serve", "--addr", addr}, args...)...)
	s.cmd.Env = append(baseEnv(), env...)
	pr, pw := io.Pipe()
	s.cmd.Stderr = pw
	go func() {
		sc := bufio.NewScanner(pr)
		sc.Buffer(make([]byte, 64<<10), 1<<20)
		for sc.Scan() {
			s.mu.Lock()
			s.stderr.WriteString(sc.Text() + "\n")
			s.mu.Unlock()
		}
	}()
	begin := time.Now()
	if err := s.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { s.done <- s.cmd.Wait(); pw.Close() }()
	t.Cleanup(func() {
		if s.cmd.ProcessState == nil {
			_ = s.cmd.Process.Kill()
			<-s.done
		}
	})
	for {
		resp, err := http.Get(s.url + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				s.ready = time.Since(begin)
				return s
			}
		}
		select {
		case err := <-s.done:
			t.Fatalf("iamd serve exited before ready: %v\n%s", err, s.log())
		case <-time.After(10 * time.Millisecond):
		}
		if time.Since(begin) > 20*time.Second {
			t.Fatalf("iamd serve not ready after 20s\n%s", s.log())
		}
	}
}

func (s *server) log() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.stderr.String()
}

// stop sends SIGTERM and waits for a clean exit.
func (s *server) stop() {
	s.t.Helper()
	if err := s.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		s.t.Fatal(err)
	}
	select {
	case err := <-s.done:
		if err != nil {
			s.t.Fatalf("iamd serve exited with %v after SIGTERM\n%s", err, s.log())
		}
	case <-time.After(30 * time.Second):
		s.t.Fatalf("iamd serve did not stop after SIGTERM")
	}
}

func (s *server) get(path string) (int, http.Header, []byte) {
	s.t.Helper()
	resp, err := http.Get(s.url + path)
	if err != nil {
		s.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header, b
}

func decodeJSON(t *testing.T, s string) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal([]byte(s), &m); err != nil {
		t.Fatalf("output is not JSON: %v\n%s", err, s)
	}
	return m
}
