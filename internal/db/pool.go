package db

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"slices"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
)

// ParseConfig resolves a connection string, a postgres:// URL or key=value
// pairs, into a pool configuration. Settings it does not name come from the
// standard PG* environment variables (PGHOST, PGPORT, PGUSER, PGPASSWORD,
// PGDATABASE, PGSSLMODE, ...), as with psql. Errors never carry the password.
//
// With neither a connection string nor any of TargetVars set, it fails
// with ErrNoDatabase rather than try libpq's defaults (a local socket, the
// login's name as user): a scheduled job that lost its DATABASE_URL should
// say so, not that a socket it was never meant to use is missing.
func ParseConfig(dsn string) (*pgxpool.Config, error) {
	if dsn == "" && !slices.ContainsFunc(TargetVars, func(v string) bool { return os.Getenv(v) != "" }) {
		return nil, ErrNoDatabase
	}
	cfg, err := pgxpool.ParseConfig(dsn)
	if err != nil {
		return nil, fmt.Errorf("invalid database connection string: %w", withoutConnString(err))
	}
	if cfg.MaxConns < MinConns {
		return nil, fmt.Errorf("pool_max_conns=%d in the database connection string: the loader needs at least %d connections (a sync holds the run lock's, and landing its COPY's while it looks documents up on a third)",
			cfg.MaxConns, MinConns)
	}
	if cfg.ConnConfig.RuntimeParams["application_name"] == "" {
		cfg.ConnConfig.RuntimeParams["application_name"] = "spacex-loader"
	}
	cfg.AfterConnect = configure
	return cfg, nil
}

// sessionSettings are the loader's settings for its sessions, set once
// connected (not sent at startup, which a pooler may refuse); a connection
// string's own value of one wins.
//
// A sync plans its statements while its tables change size by orders of
// magnitude (landing.contents grows by gigabytes under the COPY that its
// look-ups run beside) and before autovacuum has analyzed what it wrote:
//   - plan_cache_mode: a statement run again and again on one connection
//     is planned each time. The look-up of hashes otherwise kept, after
//     five runs, the plan made while landing.contents was a few pages, a
//     sequential scan, and a 1,000-times landing took 50 s instead of 12.
//   - jit: cost estimates are off by orders of magnitude, and the JIT
//     compilation they set off took 150 ms of a 1.4 s sync (one launch
//     changed at 300 times) to speed up nothing.
var sessionSettings = map[string]string{
	"plan_cache_mode": "force_custom_plan",
	"jit":             "off",
}

// MinConns is the fewest connections a pool may have (pool_max_conns).
const MinConns = 3

// TargetVars are the PG* variables that say which database to reach; with
// one of them set, an empty connection string means "the rest from PG*".
var TargetVars = []string{"PGHOST", "PGPORT", "PGUSER", "PGPASSWORD", "PGDATABASE", "PGSERVICE"}

// ErrNoDatabase: no connection string was given (the loader's
// --database-url or DATABASE_URL) and no PG* variable names a database. A
// command exits 1 with it, as it did when it tried libpq's defaults and
// failed; sync and replay report it as a failed run.
var ErrNoDatabase = errors.New("no database given: neither --database-url / DATABASE_URL nor any PG* variable (" +
	strings.Join(TargetVars, ", ") + ") is set")

// withoutConnString is a parse error without the connection string it
// quotes. pgx masks the password there only where it can tell where one
// is: not in password=Sup3r S3cret (its second word), nor in a bare
// password pasted as the whole string. pgx's reason stays; a cause that
// quotes the string (url.Parse's) keeps only its own reason.
func withoutConnString(err error) error {
	var pce *pgconn.ParseConfigError
	if !errors.As(err, &pce) {
		return err
	}
	// A ParseConfigError's text is "cannot parse `S`: REASON", S being the
	// masked string; an error made with the same string and no reason
	// gives the prefix to cut.
	prefix := pgconn.NewParseConfigError(pce.ConnString, "", nil).Error()
	reason, ok := strings.CutPrefix(pce.Error(), prefix)
	if !ok || pce.ConnString != "" && strings.Contains(reason, pce.ConnString) {
		if uerr := (*url.Error)(nil); errors.As(err, &uerr) {
			reason = uerr.Err.Error()
		} else {
			reason = "not a postgres:// URL nor key=value settings"
		}
	}
	return &parseError{reason: reason, err: err}
}

// parseError is a connection string's parse error without the string.
// Unwrap keeps pgx's error for errors.As; its text is not to be shown.
type parseError struct {
	reason string
	err    error
}

func (e *parseError) Error() string { return e.reason }
func (e *parseError) Unwrap() error { return e.err }

// configure sets sessionSettings on a new connection, and makes it
// compress the documents it writes (landing and bronze keep every
// document) with lz4 where the server has it: lz4 compresses and
// decompresses several times faster than the default pglz.
func configure(ctx context.Context, conn *pgx.Conn) error {
	for name, value := range sessionSettings {
		if _, ok := conn.Config().RuntimeParams[name]; ok {
			continue
		}
		if _, err := conn.Exec(ctx, "SELECT set_config($1, $2, false)", name, value); err != nil {
			return fmt.Errorf("set %s: %w", name, err)
		}
	}
	_, err := conn.Exec(ctx, "SET default_toast_compression = lz4")
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) && pgErr.Code == "22023" { // invalid_parameter_value: built without lz4
		return nil
	}
	return err
}

// Open connects a pool and checks that the server answers. The error names
// the server, database and user, never the password.
func Open(ctx context.Context, cfg *pgxpool.Config) (*pgxpool.Pool, error) {
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("connect to %s: %w", Describe(cfg.ConnConfig.Config), err)
	}
	if err := pool.Ping(ctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("connect to %s: %w", Describe(cfg.ConnConfig.Config), err)
	}
	return pool, nil
}

// Describe names a connection target for messages, without its password:
// postgres://user@host:port/database.
func Describe(cfg pgconn.Config) string {
	return fmt.Sprintf("postgres://%s@%s/%s", cfg.User, hostPort(cfg.Host, cfg.Port), cfg.Database)
}

// URL renders a parsed configuration as a postgres:// URL for tools that take
// only URLs (dbmate), so both reach the same server with the same
// credentials and TLS settings, whether they came from DATABASE_URL (URL or
// key=value) or PG* variables. It refuses what a URL cannot carry for
// dbmate: more than one host.
func URL(dsn string, cfg pgconn.Config) (*url.URL, error) {
	for _, fb := range cfg.Fallbacks {
		if fb.Host != cfg.Host || fb.Port != cfg.Port {
			return nil, fmt.Errorf("connection strings with several hosts are not supported here (%s and %s)",
				hostPort(cfg.Host, cfg.Port), hostPort(fb.Host, fb.Port))
		}
	}
	u := &url.URL{Scheme: "postgres", Path: "/" + cfg.Database}
	if cfg.Password != "" {
		u.User = url.UserPassword(cfg.User, cfg.Password)
	} else {
		u.User = url.User(cfg.User)
	}
	q := tlsSettings(dsn)
	if q.Get("sslmode") == "" {
		q.Set("sslmode", sslMode(cfg))
	}
	if strings.HasPrefix(cfg.Host, "/") {
		q.Set("host", cfg.Host)
		q.Set("port", strconv.Itoa(int(cfg.Port)))
	} else {
		u.Host = hostPort(cfg.Host, cfg.Port)
	}
	u.RawQuery = q.Encode()
	return u, nil
}

// tlsKeys are the TLS settings carried over to the URL, with the variables
// that supply them when the connection string does not.
var tlsKeys = [][2]string{
	{"sslmode", "PGSSLMODE"},
	{"sslrootcert", "PGSSLROOTCERT"},
	{"sslcert", "PGSSLCERT"},
	{"sslkey", "PGSSLKEY"},
}

// tlsSettings collects the TLS settings as the user gave them: from the
// connection string (URL query or key=value pairs) first, then from PG*
// variables, the precedence libpq uses.
func tlsSettings(dsn string) url.Values {
	given := map[string]string{}
	if u, err := url.Parse(dsn); err == nil && (u.Scheme == "postgres" || u.Scheme == "postgresql") {
		for k, v := range u.Query() {
			given[k] = v[0]
		}
	} else {
		for _, f := range strings.Fields(dsn) {
			if k, v, ok := strings.Cut(f, "="); ok {
				given[k] = strings.Trim(v, "'")
			}
		}
	}
	q := url.Values{}
	for _, kv := range tlsKeys {
		if v := given[kv[0]]; v != "" {
			q.Set(kv[0], v)
		} else if v := os.Getenv(kv[1]); v != "" {
			q.Set(kv[0], v)
		}
	}
	return q
}

// sslMode infers the sslmode that produced cfg, for when none was given.
func sslMode(cfg pgconn.Config) string {
	fallbackTLS := map[bool]bool{}
	for _, fb := range cfg.Fallbacks {
		fallbackTLS[fb.TLSConfig != nil] = true
	}
	switch {
	case cfg.TLSConfig == nil && fallbackTLS[true]:
		return "allow"
	case cfg.TLSConfig == nil:
		return "disable"
	case fallbackTLS[false]:
		return "prefer"
	case !cfg.TLSConfig.InsecureSkipVerify:
		return "verify-full"
	case cfg.TLSConfig.VerifyPeerCertificate != nil:
		return "verify-ca"
	default:
		return "require"
	}
}

func hostPort(host string, port uint16) string {
	return net.JoinHostPort(host, strconv.Itoa(int(port)))
}
