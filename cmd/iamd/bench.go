package main

import (
	"context"
	"fmt"
	"io"
	"net/url"
	"runtime"
	"strings"
	"time"

	"iamd/authn/password"
	"iamd/bench"
	"iamd/config"
)

// benchCmd is `iamd bench`: load against a running server, or with "hash"
// the raw argon2id rate of this machine.
func benchCmd(ctx context.Context, args, env []string, stdout, stderr io.Writer) error {
	if len(args) > 0 && args[0] == "hash" {
		return benchHash(ctx, args[1:], env, stdout, stderr)
	}
	var o benchFlags
	cfg, rest, err := config.Load("bench", args, env, stderr, o.register)
	if err != nil {
		return flagError(err)
	}
	scenarios, err := o.validate(rest)
	if err != nil {
		return err
	}
	if err := bench.Reachable(ctx, o.url); err != nil {
		return err
	}
	st, err := openStore(ctx, cfg)
	if err != nil {
		return err
	}
	target, err := benchTarget(ctx, wire(cfg, st), o.realm)
	st.Close()
	if err != nil {
		return fmt.Errorf("set up realm %s: %w", o.realm, err)
	}
	target.URL, target.Scope = o.url, o.scope
	if err := bench.Preflight(ctx, target); err != nil {
		return err
	}
	fmt.Fprintf(stderr, "iamd bench: %s, realm %s, %d workers, %s per scenario, %s\n",
		o.url, o.realm, o.concurrency, o.duration, strings.Join(scenarios, ", "))
	rssBefore, rssErr := bench.ServerRSS(ctx, o.url)
	var results []*bench.Result
	for _, name := range scenarios {
		res, err := bench.Run(ctx, target, name, bench.Options{Duration: o.duration, Concurrency: o.concurrency, Progress: stderr})
		if err != nil {
			return err
		}
		results = append(results, res)
	}
	if err := bench.WriteTable(stdout, results); err != nil {
		return err
	}
	if rssErr == nil {
		rssAfter, _ := bench.ServerRSS(ctx, o.url)
		fmt.Fprintf(stdout, "\nserver RSS: %.1f MB before the load, %.1f MB after\n", mb(rssBefore), mb(rssAfter))
	}
	var failed uint64
	for _, r := range results {
		failed += r.Errors
	}
	if failed > 0 {
		return fmt.Errorf("bench: %d requests failed", failed)
	}
	return nil
}

// benchFlags are bench's own flags, next to the server's.
type benchFlags struct {
	url, realm, scenario, scope string
	duration                    time.Duration
	concurrency                 int
}

func (o *benchFlags) register(fs *flagSet) {
	fs.StringVar(&o.url, "url", "http://127.0.0.1:8080", "base URL of the running server")
	fs.StringVar(&o.realm, "realm", "bench", "realm to use; created with its app and user if missing")
	fs.DurationVar(&o.duration, "duration", 10*time.Second, "how long each scenario runs")
	fs.IntVar(&o.concurrency, "concurrency", defaultBenchConcurrency(), "workers, each with one request in flight")
	fs.StringVar(&o.scenario, "scenario", "all", strings.Join(bench.Scenarios, ", ")+" or all")
	fs.StringVar(&o.scope, "scope", "openid", "scope of the user's password logins (openid: ID tokens too)")
}

// defaultBenchConcurrency keeps every CPU busy while some requests wait
// on the database or the network. On 2 CPUs, 8 workers did 5-10% more
// than 4 at twice the latency, and 16 little more again (BENCHMARKS.md).
func defaultBenchConcurrency() int { return 4 * runtime.NumCPU() }

func (o *benchFlags) validate(rest []string) ([]string, error) {
	if len(rest) > 0 {
		return nil, usageErrorf("bench: unexpected argument %q", rest[0])
	}
	if o.duration <= 0 {
		return nil, usageErrorf("bench: --duration must be positive, such as 10s")
	}
	if o.concurrency < 1 || o.concurrency > 10000 {
		return nil, usageErrorf("bench: --concurrency must be between 1 and 10000")
	}
	u, err := url.Parse(o.url)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, usageErrorf("bench: --url %q must be an http(s) URL such as http://127.0.0.1:8080", o.url)
	}
	o.url = strings.TrimRight(o.url, "/")
	if o.scenario == "all" {
		return bench.Scenarios, nil
	}
	var out []string
	for _, s := range strings.Split(o.scenario, ",") {
		if s = strings.TrimSpace(s); !bench.Known(s) {
			return nil, usageErrorf("bench: unknown scenario %q (want %s or all)", s, strings.Join(bench.Scenarios, ", "))
		}
		out = append(out, s)
	}
	return out, nil
}

// benchHash is `iamd bench hash`: argon2id hashes per second with the
// server's parameters (the --argon2-* flags), on every CPU.
func benchHash(ctx context.Context, args, env []string, stdout, stderr io.Writer) error {
	var d time.Duration
	var n int
	cfg, rest, err := config.Load("bench hash", args, env, stderr, func(fs *flagSet) {
		fs.DurationVar(&d, "duration", 5*time.Second, "how long to hash")
		fs.IntVar(&n, "concurrency", runtime.NumCPU(), "hashes computed at once (the server uses the CPU count)")
	})
	if err != nil {
		return flagError(err)
	}
	switch {
	case len(rest) > 0:
		return usageErrorf("bench hash: unexpected argument %q", rest[0])
	case d <= 0:
		return usageErrorf("bench hash: --duration must be positive, such as 5s")
	case n < 1 || n > 1024:
		return usageErrorf("bench hash: --concurrency must be between 1 and 1024")
	}
	p := password.Params{Memory: cfg.Argon2Memory, Time: cfg.Argon2Time, Threads: cfg.Argon2Threads}
	res, err := bench.HashRate(ctx, p, n, d)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "argon2id m=%d KiB t=%d p=%d, %d at once, %d CPUs, %s\n",
		res.Params.Memory, res.Params.Time, res.Params.Threads, res.Concurrency, runtime.NumCPU(), res.Elapsed.Round(time.Millisecond))
	fmt.Fprintf(stdout, "hashes: %d\nrate: %.1f hashes/s\nlatency: mean %s, p50 %s, p99 %s\ncpu per hash: %s (%d CPUs / that = %.1f hashes/s on an otherwise idle machine)\n",
		res.Hashes, res.Rate, res.Mean.Round(10*time.Microsecond), res.P50.Round(10*time.Microsecond), res.P99.Round(10*time.Microsecond),
		res.CPUPerHash.Round(10*time.Microsecond), runtime.NumCPU(), float64(runtime.NumCPU())*float64(time.Second)/float64(max(res.CPUPerHash, 1)))
	return nil
}

func mb(b int64) float64 { return float64(b) / (1 << 20) }
