package db

import (
	"context"
	"fmt"
	"net"
	"net/url"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
)

// ParseConfig resolves a connection string, a postgres:// URL or key=value
// pairs, into a pool configuration. Settings it does not name come from the
// standard PG* environment variables (PGHOST, PGPORT, PGUSER, PGPASSWORD,
// PGDATABASE, PGSSLMODE, ...), as with psql. Errors never carry the password.
func ParseConfig(dsn string) (*pgxpool.Config, error) {
	cfg, err := pgxpool.ParseConfig(dsn)
	if err != nil {
		// pgx redacts the password in its parse errors already.
		return nil, fmt.Errorf("invalid database connection string: %w", err)
	}
	if cfg.ConnConfig.RuntimeParams["application_name"] == "" {
		cfg.ConnConfig.RuntimeParams["application_name"] = "spacex-loader"
	}
	return cfg, nil
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

// Describe names a connection target for messages: user@host:port/database.
func Describe(cfg pgconn.Config) string {
	return fmt.Sprintf("postgres://%s@%s/%s", cfg.User, hostPort(cfg.Host, cfg.Port), cfg.Database)
}

// Redact returns a description of dsn that is safe to print.
func Redact(dsn string) string {
	cfg, err := pgconn.ParseConfig(dsn)
	if err != nil {
		return "(unparseable connection string)"
	}
	return Describe(*cfg)
}

// URL renders a parsed configuration as a postgres:// URL for tools that take
// only URLs (dbmate), so both reach the same server with the same
// credentials whether they came from DATABASE_URL or PG* variables. TLS
// settings beyond sslmode are carried over from dsn when it is a URL.
func URL(dsn string, cfg pgconn.Config) *url.URL {
	u := &url.URL{Scheme: "postgres", Path: "/" + cfg.Database}
	if cfg.Password != "" {
		u.User = url.UserPassword(cfg.User, cfg.Password)
	} else {
		u.User = url.User(cfg.User)
	}
	q := url.Values{}
	if orig, err := url.Parse(dsn); err == nil && (orig.Scheme == "postgres" || orig.Scheme == "postgresql") {
		for _, k := range []string{"sslmode", "sslrootcert", "sslcert", "sslkey"} {
			if v := orig.Query().Get(k); v != "" {
				q.Set(k, v)
			}
		}
	}
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
	return u
}

// sslMode infers the sslmode that produced cfg.
func sslMode(cfg pgconn.Config) string {
	if cfg.TLSConfig == nil {
		return "disable"
	}
	for _, fb := range cfg.Fallbacks {
		if fb.TLSConfig == nil {
			return "prefer"
		}
	}
	return "require"
}

func hostPort(host string, port uint16) string {
	return net.JoinHostPort(host, strconv.Itoa(int(port)))
}
