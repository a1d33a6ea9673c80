package pgtest

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/ory/dockertest/v3"
	"github.com/ory/dockertest/v3/docker"
	"github.com/peterldowns/pgtestdb"
)

func find() (*server, error) {
	if dsn := os.Getenv("TEST_DATABASE_URL"); dsn != "" {
		conf, err := configFromURL(dsn)
		if err != nil {
			return nil, fmt.Errorf("TEST_DATABASE_URL: %w", err)
		}
		return &server{conf: conf}, nil
	}
	var reasons []string
	srv, err := startDocker()
	if err == nil {
		return srv, nil
	}
	reasons = append(reasons, "docker: "+err.Error())
	srv, err = startCluster()
	if err == nil {
		return srv, nil
	}
	reasons = append(reasons, "initdb: "+err.Error())
	return nil, errors.New("TEST_DATABASE_URL is not set; " + strings.Join(reasons, "; "))
}

func configFromURL(dsn string) (pgtestdb.Config, error) {
	u, err := url.Parse(dsn)
	if err != nil {
		return pgtestdb.Config{}, errors.New("not a URL")
	}
	pw, _ := u.User.Password()
	q := u.Query()
	if q.Get("sslmode") == "" {
		q.Set("sslmode", "disable")
	}
	conf := pgtestdb.Config{
		DriverName: "pgx",
		Host:       u.Hostname(),
		Port:       u.Port(),
		User:       u.User.Username(),
		Password:   pw,
		Database:   strings.TrimPrefix(u.Path, "/"),
		Options:    q.Encode(),
	}
	if conf.Port == "" {
		conf.Port = "5432"
	}
	return conf, waitReady(conf, 5*time.Second)
}

// startDocker runs postgres:16 when a Docker engine answers; a docker
// client without an engine is not enough.
func startDocker() (*server, error) {
	pool, err := dockertest.NewPool("")
	if err != nil {
		return nil, err
	}
	pool.MaxWait = time.Minute
	if err := pool.Client.Ping(); err != nil {
		return nil, fmt.Errorf("no engine answers: %w", err)
	}
	password := rand.Text() // the container's own, made here: none is written in the repository
	// A fixed host port, so that the container keeps it when a test
	// restarts it (a published port left to Docker may change).
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	res, err := pool.RunWithOptions(&dockertest.RunOptions{
		Repository: "postgres",
		Tag:        "16",
		Env:        []string{"POSTGRES_PASSWORD=" + password, "POSTGRES_DB=postgres"},
		Cmd:        []string{"postgres", "-c", "fsync=off", "-c", "full_page_writes=off"},
		PortBindings: map[docker.Port][]docker.PortBinding{
			"5432/tcp": {{HostIP: "127.0.0.1", HostPort: strconv.Itoa(port)}},
		},
	}, func(hc *docker.HostConfig) {
		// Not removed when it stops: a restart stops it. Purge removes it.
		hc.AutoRemove = false
		hc.RestartPolicy = docker.RestartPolicy{Name: "no"}
	})
	if err != nil {
		return nil, fmt.Errorf("start postgres:16: %w", err)
	}
	_ = res.Expire(3600) // a crashed test run must not leak the container for long
	conf := pgtestdb.Config{
		DriverName: "pgx", Host: "127.0.0.1", Port: res.GetPort("5432/tcp"),
		User: "postgres", Password: password, Database: "postgres", Options: "sslmode=disable",
	}
	if err := pool.Retry(func() error { return ping(conf) }); err != nil {
		_ = pool.Purge(res)
		return nil, fmt.Errorf("postgres:16 did not become ready: %w", err)
	}
	// The image stops PostgreSQL with SIGINT, a fast shutdown, as
	// pg_ctl restart -m fast does for a cluster of our own.
	restart := func() error {
		if err := pool.Client.RestartContainer(res.Container.ID, 30); err != nil {
			return fmt.Errorf("restart the postgres:16 container: %w", err)
		}
		return waitReady(conf, time.Minute)
	}
	return &server{conf: conf, stop: func() { _ = pool.Purge(res) }, restart: restart}, nil
}

// startCluster creates and starts a throwaway cluster from the system's
// PostgreSQL binaries, listening on a free loopback port.
func startCluster() (*server, error) {
	bin, err := findBinDir()
	if err != nil {
		return nil, err
	}
	// A short path: the socket must fit in 107 bytes.
	dir, err := os.MkdirTemp("", "pgt")
	if err != nil {
		return nil, err
	}
	cred, err := credential(dir)
	if err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	data := filepath.Join(dir, "data")
	pgctl := func(args ...string) ([]byte, error) {
		cmd := exec.Command(filepath.Join(bin, "pg_ctl"), args...)
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: cred}
		cmd.Dir = dir
		return cmd.CombinedOutput()
	}
	initdb := exec.Command(filepath.Join(bin, "initdb"), "-D", data, "-U", "postgres",
		"-A", "trust", "-E", "UTF8", "--locale=C", "--no-sync")
	initdb.SysProcAttr = &syscall.SysProcAttr{Credential: cred}
	initdb.Dir = dir
	if out, err := initdb.CombinedOutput(); err != nil {
		os.RemoveAll(dir)
		return nil, fmt.Errorf("%s: %v: %s", initdb, err, out)
	}
	// A free port can be taken by another test binary starting its own
	// cluster before ours binds it: then try another.
	var port int
	var opts string
	for attempt := 1; ; attempt++ {
		if port, err = freePort(); err != nil {
			os.RemoveAll(dir)
			return nil, err
		}
		opts = fmt.Sprintf("-c listen_addresses=127.0.0.1 -p %d -k %s -c fsync=off "+
			"-c synchronous_commit=off -c full_page_writes=off -c max_connections=400", port, dir)
		out, err := pgctl("start", "-w", "-t", "60", "-D", data, "-l", filepath.Join(dir, "log"), "-o", opts)
		if err == nil {
			break
		}
		log, _ := os.ReadFile(filepath.Join(dir, "log"))
		if attempt < 5 && strings.Contains(string(log), "Address already in use") {
			_ = os.Remove(filepath.Join(dir, "log"))
			continue
		}
		os.RemoveAll(dir)
		return nil, fmt.Errorf("pg_ctl start: %v: %s\n%s", err, out, log)
	}
	stop := func() {
		_, _ = pgctl("stop", "-D", data, "-m", "immediate", "-w")
		os.RemoveAll(dir)
	}
	conf := pgtestdb.Config{
		DriverName: "pgx", Host: "127.0.0.1", Port: strconv.Itoa(port),
		User: "postgres", Database: "postgres", Options: "sslmode=disable",
	}
	if err := waitReady(conf, 30*time.Second); err != nil {
		stop()
		return nil, err
	}
	restart := func() error {
		if out, err := pgctl("restart", "-w", "-t", "60", "-m", "fast", "-D", data, "-l", filepath.Join(dir, "log"), "-o", opts); err != nil {
			return fmt.Errorf("pg_ctl restart: %v: %s", err, out)
		}
		return waitReady(conf, 30*time.Second)
	}
	return &server{conf: conf, stop: stop, restart: restart}, nil
}

// findBinDir returns the newest /usr/lib/postgresql/*/bin with initdb, or
// the directory of initdb on PATH.
func findBinDir() (string, error) {
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	sort.Slice(dirs, func(i, j int) bool { return version(dirs[i]) > version(dirs[j]) })
	for _, d := range dirs {
		if _, err := os.Stat(filepath.Join(d, "initdb")); err == nil {
			return d, nil
		}
	}
	if p, err := exec.LookPath("initdb"); err == nil {
		return filepath.Dir(p), nil
	}
	return "", errors.New("no initdb in /usr/lib/postgresql/*/bin or on PATH")
}

func version(binDir string) int {
	n, _ := strconv.Atoi(filepath.Base(filepath.Dir(binDir)))
	return n
}

// credential returns who runs the cluster: initdb refuses root, so as root
// the cluster belongs to the postgres user, who gets dir.
func credential(dir string) (*syscall.Credential, error) {
	if os.Geteuid() != 0 {
		return nil, nil
	}
	u, err := user.Lookup("postgres")
	if err != nil {
		return nil, fmt.Errorf("running as root and there is no postgres user to run initdb as: %w", err)
	}
	uid, _ := strconv.Atoi(u.Uid)
	gid, _ := strconv.Atoi(u.Gid)
	if err := os.Chown(dir, uid, gid); err != nil {
		return nil, err
	}
	return &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}, nil
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

func waitReady(conf pgtestdb.Config, within time.Duration) error {
	deadline := time.Now().Add(within)
	for {
		err := ping(conf)
		if err == nil || time.Now().After(deadline) {
			return err
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func ping(conf pgtestdb.Config) error {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, conf.URL())
	if err != nil {
		return err
	}
	return conn.Close(ctx)
}
