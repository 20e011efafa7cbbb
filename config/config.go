package config

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"iamd/iam"
)

// Config is everything iamd reads at start.
type Config struct {
	Addr         string
	DataDir      string
	DatabaseURL  string
	PublicURL    string
	LogLevel     string
	LogFormat    string
	TemplatesDir string
	MaxBodyBytes int64
	// IAMRealm is the realm document 000's /v1/iam surface serves.
	IAMRealm string

	// Argon2id cost for new password hashes.
	Argon2Memory  uint32 // KiB
	Argon2Time    uint32
	Argon2Threads uint8

	ShutdownTimeout time.Duration

	// LoginRatePerMinute is the sustained password and code attempts one
	// client IP may make per minute; 0 turns the per-IP limit off (load
	// tests from one machine need that).
	LoginRatePerMinute int
	// PprofAddr, when set, serves net/http/pprof on its own listener.
	PprofAddr string

	// Read from the environment only: secrets never go on a command line.
	MasterKey          string
	BootstrapAdminUser string
	BootstrapAdminPass string
}

// Setting documents one option for --help and the README's table.
type Setting struct {
	Flag, Env, Default, Help string
}

// Load parses args (without the program and command name) over the
// environment env (as os.Environ). extra, if not nil, registers a command's
// own flags on the same set. Unknown flags and bad values are errors; the
// returned slice holds the arguments left after the flags.
func Load(name string, args []string, env []string, out io.Writer, extra func(*flag.FlagSet)) (*Config, []string, error) {
	c := &Config{}
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(out)
	lookup := envMap(env)
	var errs []error
	str := func(p *string, flagName, envName, def, help string) {
		v := def
		if e, ok := lookup[envName]; ok && e != "" {
			v = e
		}
		fs.StringVar(p, flagName, v, help+" (env "+envName+")")
	}
	num := func(flagName, envName string, def int64, help string) *int64 {
		v := def
		if e, ok := lookup[envName]; ok && e != "" {
			n, err := strconv.ParseInt(e, 10, 64)
			if err != nil {
				errs = append(errs, fmt.Errorf("%s=%q is not a whole number", envName, e))
			}
			v = n
		}
		return fs.Int64(flagName, v, help+" (env "+envName+")")
	}
	dur := func(p *time.Duration, flagName, envName string, def time.Duration, help string) {
		v := def
		if e, ok := lookup[envName]; ok && e != "" {
			d, err := time.ParseDuration(e)
			if err != nil {
				errs = append(errs, fmt.Errorf("%s=%q is not a duration such as 30s", envName, e))
			}
			v = d
		}
		fs.DurationVar(p, flagName, v, help+" (env "+envName+")")
	}
	str(&c.Addr, "addr", "IAMD_ADDR", "127.0.0.1:8080", "listen address")
	str(&c.DataDir, "data-dir", "IAMD_DATA_DIR", "./data", "directory for the SQLite database, master key and file outbox")
	str(&c.DatabaseURL, "database-url", "IAMD_DATABASE_URL", "", "postgres://… for PostgreSQL; empty for SQLite in the data dir")
	str(&c.PublicURL, "public-url", "IAMD_PUBLIC_URL", "", "base URL of every issuer and link (default http://<addr>)")
	str(&c.LogLevel, "log-level", "IAMD_LOG_LEVEL", "info", "debug, info, warn or error")
	str(&c.LogFormat, "log-format", "IAMD_LOG_FORMAT", "json", "json or text")
	str(&c.IAMRealm, "iam-realm", "IAMD_IAM_REALM", "default", "realm served by the /v1/iam API (created at start if missing)")
	str(&c.TemplatesDir, "templates-dir", "IAMD_TEMPLATES_DIR", "", "message template overrides (default <data-dir>/templates)")
	body := num("max-body-bytes", "IAMD_MAX_BODY_BYTES", 1<<20, "largest accepted request body")
	mem := num("argon2-memory", "IAMD_ARGON2_MEMORY", 19456, "argon2id memory in KiB")
	tim := num("argon2-time", "IAMD_ARGON2_TIME", 2, "argon2id iterations")
	thr := num("argon2-threads", "IAMD_ARGON2_THREADS", 1, "argon2id parallelism")
	str(&c.PprofAddr, "pprof-addr", "IAMD_PPROF_ADDR", "", "listen address of a net/http/pprof endpoint for profiling (empty: off; keep it private)")
	loginRate := num("login-rate-limit", "IAMD_LOGIN_RATE_LIMIT", 60, "password and code attempts per client IP per minute (0: no limit)")
	dur(&c.ShutdownTimeout, "shutdown-timeout", "IAMD_SHUTDOWN_TIMEOUT", 20*time.Second, "how long in-flight requests may take to finish on SIGTERM")
	if extra != nil {
		extra(fs)
	}
	if err := fs.Parse(args); err != nil {
		return nil, nil, err
	}
	if len(errs) > 0 {
		return nil, nil, errors.Join(errs...)
	}
	c.MaxBodyBytes = *body
	if *loginRate < 0 || *loginRate > 1<<30 {
		return nil, nil, fmt.Errorf("login rate limit must be 0 (off) or a positive number of attempts per minute")
	}
	c.LoginRatePerMinute = int(*loginRate)
	if *mem < 1024 || *mem > 4<<20 {
		return nil, nil, fmt.Errorf("argon2 memory must be between 1024 and 4194304 KiB")
	}
	if *tim < 1 || *tim > 100 || *thr < 1 || *thr > 255 {
		return nil, nil, fmt.Errorf("argon2 time must be 1-100 and threads 1-255")
	}
	c.Argon2Memory, c.Argon2Time, c.Argon2Threads = uint32(*mem), uint32(*tim), uint8(*thr)
	c.MasterKey = lookup["IAMD_MASTER_KEY"]
	c.BootstrapAdminUser = lookup["IAMD_BOOTSTRAP_ADMIN_USER"]
	c.BootstrapAdminPass = lookup["IAMD_BOOTSTRAP_ADMIN_PASSWORD"]
	return c, fs.Args(), c.Validate()
}

// Validate checks values that flags cannot, and fills derived defaults.
func (c *Config) Validate() error {
	if _, _, err := net.SplitHostPort(c.Addr); err != nil {
		return fmt.Errorf("--addr %q is not host:port", c.Addr)
	}
	if c.PprofAddr != "" {
		if _, _, err := net.SplitHostPort(c.PprofAddr); err != nil {
			return fmt.Errorf("--pprof-addr %q is not host:port", c.PprofAddr)
		}
	}
	if c.DataDir == "" {
		return errors.New("--data-dir must not be empty")
	}
	if iam.ValidateRealmName(c.IAMRealm) != nil {
		return fmt.Errorf("--iam-realm %q must be a realm name: 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit", c.IAMRealm)
	}
	if c.DatabaseURL != "" && !c.Postgres() && !strings.HasPrefix(c.DatabaseURL, "sqlite:") {
		return fmt.Errorf("--database-url must start with postgres://, postgresql:// or sqlite:")
	}
	if c.PublicURL == "" {
		c.PublicURL = "http://" + c.Addr
	}
	u, err := url.Parse(c.PublicURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
		return fmt.Errorf("--public-url %q must be an http(s) URL without query or fragment", c.PublicURL)
	}
	c.PublicURL = strings.TrimRight(c.PublicURL, "/")
	if c.TemplatesDir == "" {
		c.TemplatesDir = filepath.Join(c.DataDir, "templates")
	}
	if c.MaxBodyBytes < 1024 {
		return errors.New("--max-body-bytes must be at least 1024")
	}
	switch c.LogLevel {
	case "debug", "info", "warn", "error":
	default:
		return fmt.Errorf("--log-level %q must be debug, info, warn or error", c.LogLevel)
	}
	if c.LogFormat != "json" && c.LogFormat != "text" {
		return fmt.Errorf("--log-format %q must be json or text", c.LogFormat)
	}
	if c.ShutdownTimeout <= 0 {
		return errors.New("--shutdown-timeout must be positive")
	}
	return nil
}

// Postgres reports whether the database URL selects PostgreSQL.
func (c *Config) Postgres() bool {
	return strings.HasPrefix(c.DatabaseURL, "postgres://") || strings.HasPrefix(c.DatabaseURL, "postgresql://")
}

// SQLitePath is the SQLite database file: sqlite:PATH from the URL, or
// iamd.db in the data dir.
func (c *Config) SQLitePath() string {
	if p, ok := strings.CutPrefix(c.DatabaseURL, "sqlite:"); ok && p != "" {
		return strings.TrimPrefix(p, "//")
	}
	return filepath.Join(c.DataDir, "iamd.db")
}

// OutboxDir is where the file outbox writes messages.
func (c *Config) OutboxDir() string { return filepath.Join(c.DataDir, "outbox") }

// MasterKeyPath is the key file created on first start when
// IAMD_MASTER_KEY is not set.
func (c *Config) MasterKeyPath() string { return filepath.Join(c.DataDir, "master.key") }

func envMap(env []string) map[string]string {
	m := make(map[string]string, len(env))
	for _, kv := range env {
		if k, v, ok := strings.Cut(kv, "="); ok {
			m[k] = v
		}
	}
	return m
}

// Environ is os.Environ, named here so callers read as Load(..., config.Environ(), ...).
func Environ() []string { return os.Environ() }
