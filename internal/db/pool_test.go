package db_test

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"encoding/pem"
	"math/big"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/spacex-elt/loader/internal/db"
)

// caFile writes a self-signed CA certificate for pgx to load.
func caFile(t *testing.T) string {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), NotBefore: time.Now(), NotAfter: time.Now().Add(time.Hour),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), "ca.pem")
	if err := os.WriteFile(p, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestURLKeepsTLSSettings: the URL handed to dbmate must never verify less
// than the connection string asked for, whichever form it came in.
func TestURLKeepsTLSSettings(t *testing.T) {
	ca := caFile(t)
	esc := url.QueryEscape(ca)
	pw := rand.Text() // made here: no password is written in the repository
	cases := []struct {
		dsn  string
		env  map[string]string
		want string
	}{
		{"postgres://u:" + pw + "@h:5433/d?sslmode=verify-full&sslrootcert=" + ca, nil,
			"postgres://u:" + pw + "@h:5433/d?sslmode=verify-full&sslrootcert=" + esc},
		{"host=h port=5433 user=u password=" + pw + " dbname=d sslmode=verify-ca sslrootcert=" + ca, nil,
			"postgres://u:" + pw + "@h:5433/d?sslmode=verify-ca&sslrootcert=" + esc},
		{"", map[string]string{"PGHOST": "h", "PGPORT": "5433", "PGUSER": "u", "PGDATABASE": "d", "PGSSLMODE": "verify-full", "PGSSLROOTCERT": ca},
			"postgres://u@h:5433/d?sslmode=verify-full&sslrootcert=" + esc},
		{"postgres://u@h/d?sslmode=disable", nil, "postgres://u@h:5432/d?sslmode=disable"},
		{"postgres://u@h/d", nil, "postgres://u@h:5432/d?sslmode=prefer"},
		// verify-full inferred from pgx's TLS settings when only the mode was implied
		{"postgres://u@h/d?sslmode=verify-full&sslrootcert=" + ca, nil, "postgres://u@h:5432/d?sslmode=verify-full&sslrootcert=" + esc},
		{"postgres://u@/d?host=/run/pg&port=5433", nil, "postgres://u@/d?host=%2Frun%2Fpg&port=5433&sslmode=disable"}, // pgx uses no TLS on sockets,
	}
	for _, tc := range cases {
		t.Run(strings.ReplaceAll(tc.dsn, ca, "CA"), func(t *testing.T) {
			for _, k := range []string{"PGHOST", "PGPORT", "PGUSER", "PGPASSWORD", "PGDATABASE", "PGSSLMODE", "PGSSLROOTCERT", "PGSSLCERT", "PGSSLKEY"} {
				t.Setenv(k, tc.env[k])
			}
			cfg, err := db.ParseConfig(tc.dsn)
			if err != nil {
				t.Fatal(err)
			}
			u, err := db.URL(tc.dsn, cfg.ConnConfig.Config)
			if err != nil || u.String() != tc.want {
				t.Errorf("URL = %v, %v; want %s", u, err, tc.want)
			}
		})
	}
	cfg, err := db.ParseConfig("postgres://u@h1:5432,h2:5433/d")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.URL("postgres://u@h1:5432,h2:5433/d", cfg.ConnConfig.Config); err == nil {
		t.Error("URL accepted two hosts")
	}
}

// TestParseConfigErrorHidesPassword: whatever shape a connection string
// that cannot be parsed has, its error shows no part of the password
// (issue 13, item 4: pgx masks only what it recognises as one).
func TestParseConfigErrorHidesPassword(t *testing.T) {
	t.Parallel()
	pw := "pw-" + rand.Text() // made here: no password is written in the repository
	cases := []struct{ dsn, want string }{
		{"host=h user=u password=Sup3r " + pw, "failed to parse as keyword/value"},
		{"host=h password='Sup3r " + pw, "failed to parse as keyword/value"},
		{pw, "failed to parse as keyword/value"},
		{"Sup3r " + pw, "failed to parse as keyword/value"},
		{"postgres://u:" + pw + "@h:notaport/d", "invalid port"},
		{"postgres://u:" + pw + "@h/d?sslmode=bogus", "sslmode is invalid"},
	}
	for _, tc := range cases {
		_, err := db.ParseConfig(tc.dsn)
		if err == nil {
			t.Errorf("%q parsed", strings.ReplaceAll(tc.dsn, pw, "PW"))
			continue
		}
		if strings.Contains(err.Error(), pw) || strings.Contains(err.Error(), pw[3:10]) ||
			!strings.HasPrefix(err.Error(), "invalid database connection string: ") || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%q: error %q; want one naming %q, without the password", strings.ReplaceAll(tc.dsn, pw, "PW"), err, tc.want)
		}
	}
}

// TestParseConfigWantsThreeConnections: a sync holds the run lock's
// connection all run, and landing holds its COPY's while it looks
// documents up on another; with two, the look-up waited forever.
func TestParseConfigWantsThreeConnections(t *testing.T) {
	t.Parallel()
	if _, err := db.ParseConfig("postgres://u@h/d?pool_max_conns=2"); err == nil || !strings.Contains(err.Error(), "pool_max_conns=2") {
		t.Errorf("pool_max_conns=2: error %v; want one naming the setting", err)
	}
	if _, err := db.ParseConfig("postgres://u@h/d?pool_max_conns=3"); err != nil {
		t.Errorf("pool_max_conns=3: %v", err)
	}
}
