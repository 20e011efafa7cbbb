package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"strings"

	"iamd/authn"
	"iamd/authn/password"
	"iamd/config"
	"iamd/directory"
	"iamd/notify"
	"iamd/store"
	"iamd/store/sqlstore/postgres"
	"iamd/store/sqlstore/sqlite"
)

// openStore opens (and migrates) the database the configuration names.
func openStore(ctx context.Context, cfg *config.Config) (store.Store, error) {
	if cfg.Postgres() {
		s, err := postgres.Open(ctx, cfg.DatabaseURL)
		if err != nil {
			return nil, fmt.Errorf("open PostgreSQL: %w", err)
		}
		return s, nil
	}
	s, err := sqlite.Open(ctx, cfg.SQLitePath())
	if err != nil {
		return nil, fmt.Errorf("open SQLite database %s: %w", cfg.SQLitePath(), err)
	}
	return s, nil
}

// app is everything a command needs, wired with plain struct literals.
type app struct {
	cfg       *config.Config
	store     store.Store
	hasher    *password.Hasher
	directory *directory.Service
	authn     *authn.Service
}

func wire(cfg *config.Config, st store.Store) *app {
	templates := &notify.Templates{Dir: cfg.TemplatesDir}
	h := password.New(password.Params{Memory: cfg.Argon2Memory, Time: cfg.Argon2Time, Threads: cfg.Argon2Threads}, 0)
	dir := &directory.Service{Store: st, Passwords: h, Templates: templates}
	return &app{
		cfg:       cfg,
		store:     st,
		hasher:    h,
		directory: dir,
		authn: &authn.Service{
			Store: st, Passwords: h, Directory: dir,
			Throttle:  &authn.Throttle{PerMinute: cfg.LoginRatePerMinute, Burst: 20},
			Templates: templates,
		},
	}
}

// loadAndOpen parses a command's flags, opens the store and wires the
// services; the caller closes the store.
func loadAndOpen(ctx context.Context, name string, args, env []string, stderr io.Writer, extra func(fs *flagSet)) (*app, []string, error) {
	cfg, rest, err := config.Load(name, args, env, stderr, extra)
	if err != nil {
		return nil, nil, flagError(err)
	}
	st, err := openStore(ctx, cfg)
	if err != nil {
		return nil, nil, err
	}
	return wire(cfg, st), rest, nil
}

func newLogger(cfg *config.Config, w io.Writer) *slog.Logger {
	var lvl slog.Level
	_ = lvl.UnmarshalText([]byte(strings.ToUpper(cfg.LogLevel)))
	opts := &slog.HandlerOptions{Level: lvl}
	if cfg.LogFormat == "text" {
		return slog.New(slog.NewTextHandler(w, opts))
	}
	return slog.New(slog.NewJSONHandler(w, opts))
}
