// Command iamd is the identity and access management server and its admin
// command line. Every command works on the same database as a running
// server, so an operator can create realms, users and apps while it serves.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"iamd/iam"
)

const usage = `iamd — identity and access management server

Usage:
  iamd serve [flags]                 run the server
  iamd migrate [flags]               bring the database schema up to date
  iamd version                       print the version
  iamd realm create NAME [--display-name D]
  iamd user create --realm R --username U [--password P] [--email E] [--phone P]
                   [--first-name F] [--last-name L] [--role ROLE]...
  iamd user unlock --realm R --username U
  iamd app create --realm R --client-id C [--secret S] [--public]
                  [--grant-types a,b] [--redirect-uri U]... [--name N]
  iamd keys rotate --realm R [--overlap 24h]
  iamd bench [--url U] [--realm R] [--duration D] [--concurrency N]
             [--scenario client-credentials|password|refresh|introspect|userinfo|jwks|all]
                                     load a running server (same --data-dir/--database-url)
  iamd bench hash [--duration D]     argon2id hashes per second with the --argon2-* flags

Every command takes the server flags (--data-dir, --database-url, …; see
"iamd serve -h") and their IAMD_* environment twins.
`

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Environ(), os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// run executes one command and returns the process exit code: 0 on
// success, 1 when the command failed, 2 for a usage error.
func run(ctx context.Context, args, env []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	var err error
	switch cmd, rest := args[0], args[1:]; cmd {
	case "serve":
		err = serve(ctx, rest, env, stderr)
	case "migrate":
		err = migrate(ctx, rest, env, stdout, stderr)
	case "version", "--version", "-v":
		fmt.Fprintln(stdout, versionString())
	case "realm":
		err = sub(ctx, "realm", rest, env, stdout, stderr, map[string]command{"create": realmCreate})
	case "user":
		err = sub(ctx, "user", rest, env, stdout, stderr, map[string]command{"create": userCreate, "unlock": userUnlock})
	case "bench":
		err = benchCmd(ctx, rest, env, stdout, stderr)
	case "app":
		err = sub(ctx, "app", rest, env, stdout, stderr, map[string]command{"create": appCreate})
	case "keys":
		err = sub(ctx, "keys", rest, env, stdout, stderr, map[string]command{"rotate": keysRotate})
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
	default:
		err = usageErrorf("unknown command %q", cmd)
	}
	return report(err, stderr)
}

type command func(ctx context.Context, args, env []string, stdout, stderr io.Writer) error

func sub(ctx context.Context, group string, args, env []string, stdout, stderr io.Writer, cmds map[string]command) error {
	if len(args) == 0 || strings.HasPrefix(args[0], "-") {
		return usageErrorf("%s: missing subcommand", group)
	}
	c, ok := cmds[args[0]]
	if !ok {
		return usageErrorf("%s: unknown subcommand %q", group, args[0])
	}
	return c(ctx, args[1:], env, stdout, stderr)
}

type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func usageErrorf(format string, args ...any) error {
	return &usageError{msg: fmt.Sprintf(format, args...)}
}

// report prints err for a human and picks the exit code.
func report(err error, stderr io.Writer) int {
	var ue *usageError
	switch {
	case err == nil:
		return 0
	case errors.Is(err, flag.ErrHelp):
		return 0
	case errors.As(err, &ue):
		fmt.Fprintf(stderr, "iamd: %s\nRun \"iamd help\" for usage.\n", ue.msg)
		return 2
	}
	var ie *iam.Error
	if errors.As(err, &ie) && ie.Code != iam.CodeInternal {
		fmt.Fprintf(stderr, "iamd: %s\n", ie.Message)
		return 1
	}
	fmt.Fprintf(stderr, "iamd: %v\n", err)
	return 1
}
