package main

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"runtime/debug"
	"sync"
	"time"

	"iamd/config"
	"iamd/httpapi"
	"iamd/httpapi/iamv1"
	"iamd/notify"
	"iamd/oidc"
	"iamd/oidc/signer"
	"iamd/seal"
)

// serve runs the server until ctx ends (SIGTERM or SIGINT), then stops
// accepting connections, lets in-flight requests finish within the
// shutdown timeout, stops the dispatcher between messages, and closes the
// database.
func serve(ctx context.Context, args, env []string, stderr io.Writer) error {
	start := time.Now()
	cfg, rest, err := config.Load("serve", args, env, stderr, nil)
	if err != nil {
		return flagError(err)
	}
	if len(rest) > 0 {
		return usageErrorf("serve: unexpected argument %q", rest[0])
	}
	log := newLogger(cfg, stderr)
	slog.SetDefault(log)
	key, err := seal.LoadOrCreateKey(cfg.MasterKey, cfg.MasterKeyPath())
	if err != nil {
		return fmt.Errorf("master key: %w", err)
	}
	box, err := seal.New(key)
	if err != nil {
		return fmt.Errorf("master key: %w", err)
	}
	st, err := openStore(ctx, cfg)
	if err != nil {
		return err
	}
	defer st.Close()
	a := wire(cfg, st)
	a.authn.CodeKey = deriveKey(key, "iamd one-time code hashing")
	a.authn.Unseal = func(b []byte) ([]byte, error) { return box.Open(b, nil) }
	a.authn.Seal = func(b []byte) []byte { return box.Seal(b, nil) }
	boot, err := a.directory.Bootstrap(ctx, cfg.BootstrapAdminUser, cfg.BootstrapAdminPass)
	if err != nil {
		return fmt.Errorf("bootstrap: %w", err)
	}
	if err := (&iamv1.API{Realm: cfg.IAMRealm, Directory: a.directory}).Setup(ctx); err != nil {
		return fmt.Errorf("set up the /v1/iam realm %s: %w", cfg.IAMRealm, err)
	}
	if boot.CreatedAdmin {
		// Hashing the admin's password took an argon2id buffer (19 MiB by
		// default); hand it back so an idle server stays small.
		debug.FreeOSMemory()
	}
	if boot.GeneratedPassword != "" {
		// Printed once, to the terminal only: it is not logged and not stored in clear.
		fmt.Fprintf(stderr, "\n  iamd created the administrator of realm master:\n    username: %s\n    password: %s\n  Keep it now; it is not shown again.\n\n", boot.AdminUsername, boot.GeneratedPassword)
	}

	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", cfg.Addr, err)
	}
	if cfg.PprofAddr != "" {
		stopPprof, err := startPprof(cfg.PprofAddr, log)
		if err != nil {
			ln.Close()
			return err
		}
		defer stopPprof()
	}
	unseal := func(b []byte) ([]byte, error) { return box.Open(b, nil) }
	metrics := httpapi.NewMetrics()
	disp := &notify.Dispatcher{
		Store:  st,
		Logger: log,
		Send: &notify.Router{
			SMTP: &notify.SMTP{Unseal: unseal},
			SMS:  &notify.SMSGateway{Unseal: unseal},
			File: &notify.FileOutbox{Dir: cfg.OutboxDir()},
		},
	}
	registerGauges(metrics, a)
	srv := &http.Server{
		Handler:           newHandler(a, metrics, log, box, key),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	bg, stopBG := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	wg.Go(func() { _ = disp.Run(bg) })
	wg.Go(func() { a.authn.RunSweeper(bg, 10*time.Minute) })
	serveErr := make(chan error, 1)
	go func() { serveErr <- srv.Serve(ln) }()
	log.Info("iamd ready", "addr", ln.Addr().String(), "public_url", cfg.PublicURL,
		"database", databaseKind(cfg), "version", version, "startup_ms", time.Since(start).Milliseconds())

	select {
	case err = <-serveErr:
	case <-ctx.Done():
		log.Info("shutting down", "timeout", cfg.ShutdownTimeout.String())
		sctx, cancel := context.WithTimeout(context.Background(), cfg.ShutdownTimeout)
		err = srv.Shutdown(sctx)
		cancel()
	}
	stopBG()
	wg.Wait()
	if errors.Is(err, http.ErrServerClosed) {
		err = nil
	}
	log.Info("stopped")
	return err
}

func databaseKind(cfg *config.Config) string {
	if cfg.Postgres() {
		return "postgres"
	}
	return "sqlite:" + cfg.SQLitePath()
}

// newHandler builds the whole HTTP surface behind the shared middleware.
func newHandler(a *app, m *httpapi.Metrics, log *slog.Logger, box *seal.Box, key []byte) http.Handler {
	mux := http.NewServeMux()
	httpapi.MountHealth(mux, a.store, m)
	provider := &oidc.Provider{
		Store:     a.store,
		Authn:     a.authn,
		Keys:      &signer.Keys{Store: a.store, Box: box},
		PublicURL: a.cfg.PublicURL,
		CookieKey: deriveKey(key, "iamd cookies and refresh tokens"),
		Logger:    log,
		// Realms and apps change rarely; a second of staleness buys the
		// token and introspection endpoints their throughput. Liveness
		// of sessions and users is always checked (LiveCacheTTL 0).
		CacheTTL: time.Second,
	}
	provider.Mount(mux)
	iamAPI := &iamv1.API{
		Realm: a.cfg.IAMRealm, Store: a.store, Directory: a.directory, Authn: a.authn,
		OIDC: provider, PublicURL: a.cfg.PublicURL,
	}
	iamAPI.Mount(mux)
	mux.HandleFunc("/", httpapi.NotFound)
	mw := &httpapi.Middleware{Logger: log, Metrics: m, MaxBodyBytes: a.cfg.MaxBodyBytes}
	return mw.Wrap(mux)
}

func registerGauges(m *httpapi.Metrics, a *app) {
	m.GaugeFunc("iamd_password_hash_queue_length", "Password hash or verify calls waiting for a CPU slot.", func() float64 {
		return float64(a.hasher.QueueLength())
	})
	m.GaugeFunc("iamd_password_hash_in_flight", "Password hash or verify calls running.", func() float64 {
		return float64(a.hasher.InFlight())
	})
	m.GaugeFunc("iamd_outbox_backlog", "Messages waiting for delivery (-1 when the database is unreachable).", func() float64 {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		n, err := a.store.Outbox().Pending(ctx)
		if err != nil {
			return -1
		}
		return float64(n)
	})
}

// deriveKey makes a purpose-bound subkey of the master key, so that no two
// uses share key material.
func deriveKey(master []byte, purpose string) []byte {
	m := hmac.New(sha256.New, master)
	m.Write([]byte(purpose))
	return m.Sum(nil)
}
