package main

import (
	"io"
	"net"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"iamd/store/sqlstore/postgres/pgtest"
)

// proxy is a TCP relay to PostgreSQL that the test can cut and restore, to
// play "the database went away".
type proxy struct {
	t      *testing.T
	addr   string
	target string
	mu     sync.Mutex
	ln     net.Listener
	conns  []net.Conn
}

func newProxy(t *testing.T, target string) *proxy {
	p := &proxy{t: t, addr: freeAddr(t), target: target}
	p.up()
	t.Cleanup(p.down)
	return p
}

func (p *proxy) up() {
	ln, err := net.Listen("tcp", p.addr)
	if err != nil {
		p.t.Fatal(err)
	}
	p.mu.Lock()
	p.ln = ln
	p.mu.Unlock()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			s, err := net.Dial("tcp", p.target)
			if err != nil {
				c.Close()
				continue
			}
			p.mu.Lock()
			p.conns = append(p.conns, c, s)
			p.mu.Unlock()
			go func() { _, _ = io.Copy(s, c); s.Close() }()
			go func() { _, _ = io.Copy(c, s); c.Close() }()
		}
	}()
}

// down closes the listener and every relayed connection.
func (p *proxy) down() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.ln != nil {
		p.ln.Close()
		p.ln = nil
	}
	for _, c := range p.conns {
		c.Close()
	}
	p.conns = nil
}

func TestDatabaseOutageAnswers503AndRecovers(t *testing.T) {
	u, err := url.Parse(pgtest.URL(t))
	if err != nil {
		t.Fatal(err)
	}
	px := newProxy(t, u.Host)
	u.Host = px.addr
	// connect_timeout keeps a dial to the cut proxy short.
	q := u.Query()
	q.Set("connect_timeout", "2")
	u.RawQuery = q.Encode()
	s := startServer(t, nil, "--data-dir", t.TempDir(), "--database-url", u.String())

	waitStatus := func(path string, want int, within time.Duration) {
		t.Helper()
		deadline := time.Now().Add(within)
		for {
			code, _, body := s.get(path)
			if code == want {
				return
			}
			if time.Now().After(deadline) {
				t.Fatalf("%s = %d %s, want %d", path, code, body, want)
			}
			time.Sleep(100 * time.Millisecond)
		}
	}
	waitStatus("/readyz", 200, time.Second)

	px.down()
	waitStatus("/readyz", 503, 10*time.Second)
	_, _, body := s.get("/metrics")
	if !strings.Contains(string(body), "iamd_outbox_backlog -1") {
		t.Fatalf("backlog gauge should show the outage:\n%s", body)
	}
	code, _, _ := s.get("/healthz")
	if code != 200 {
		t.Fatalf("the process is up even when the database is not: /healthz = %d", code)
	}

	px.up()
	waitStatus("/readyz", 200, 15*time.Second)
	s.stop()
}
