package pgtest

import (
	"cmp"
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
	if bin := os.Getenv("TEST_PG_BINDIR"); bin != "" {
		srv, err := startCluster(bin)
		if err != nil {
			return nil, fmt.Errorf("TEST_PG_BINDIR: %w", err)
		}
		return srv, nil
	}
	var reasons []string
	srv, err := startDocker()
	if err == nil {
		return srv, nil
	}
	reasons = append(reasons, "docker: "+err.Error())
	bin, err := findBinDir()
	if err == nil {
		if srv, err = startCluster(bin); err == nil {
			return srv, nil
		}
	}
	reasons = append(reasons, "initdb: "+err.Error())
	return nil, errors.New("TEST_DATABASE_URL is not set; " + strings.Join(reasons, "; "))
}

// findRestartable returns a server that the tests may restart: the one
// find found when it started it, else a cluster of this test binary's own
// from the binaries of TEST_DATABASE_URL's server. A server given by
// TEST_DATABASE_URL is shared (by the other test binaries of the suite,
// which run meanwhile, and perhaps by more): restarting it would break
// their tests, so the restart happens on a server of the same version that
// nothing else uses.
func findRestartable(shared *server) (*server, error) {
	if shared.restart != nil {
		return shared, nil
	}
	major, err := serverMajor(shared.conf)
	if err != nil {
		return nil, err
	}
	bin := os.Getenv("TEST_PG_BINDIR")
	if bin == "" {
		if bin, err = serverBinDir(shared.conf); err != nil {
			return nil, fmt.Errorf("the binaries of TEST_DATABASE_URL's server (set TEST_PG_BINDIR to its bin directory): %w", err)
		}
	}
	if v, err := binMajor(bin); err != nil {
		return nil, err
	} else if v != major {
		return nil, fmt.Errorf("%s holds PostgreSQL %d, TEST_DATABASE_URL's server is %d", bin, v, major)
	}
	return startCluster(bin)
}

// serverMajor returns the major version of the server at conf.
func serverMajor(conf pgtestdb.Config) (int, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, conf.URL())
	if err != nil {
		return 0, err
	}
	defer conn.Close(ctx)
	var num int
	if err := conn.QueryRow(ctx, "SELECT current_setting('server_version_num')::int").Scan(&num); err != nil {
		return 0, err
	}
	return num / 10000, nil
}

// serverBinDir finds the bin directory of a server running on this
// machine: its data directory's postmaster.opts starts with the path of
// the postgres binary it was started from. Reading data_directory takes a
// superuser (or pg_read_all_settings), which TEST_DATABASE_URL is.
func serverBinDir(conf pgtestdb.Config) (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, conf.URL())
	if err != nil {
		return "", err
	}
	defer conn.Close(ctx)
	var dataDir string
	if err := conn.QueryRow(ctx, "SELECT current_setting('data_directory')").Scan(&dataDir); err != nil {
		return "", err
	}
	opts, err := os.ReadFile(filepath.Join(dataDir, "postmaster.opts"))
	if err != nil {
		return "", fmt.Errorf("not a server on this machine, or not readable here: %w", err)
	}
	// The program's path, then each argument in double quotes.
	line, _, _ := strings.Cut(strings.TrimSpace(string(opts)), "\n")
	prog, _, _ := strings.Cut(line, ` "`)
	if !filepath.IsAbs(prog) {
		return "", fmt.Errorf("%s/postmaster.opts names no absolute program: %q", dataDir, line)
	}
	return filepath.Dir(prog), nil
}

// binMajor returns the major version of the postgres binary in bin.
func binMajor(bin string) (int, error) {
	out, err := exec.Command(filepath.Join(bin, "postgres"), "--version").Output()
	if err != nil {
		return 0, fmt.Errorf("%s/postgres --version: %w", bin, err)
	}
	// "postgres (PostgreSQL) 18.4", or "… 15.14 (Debian 15.14-0+deb12u1)".
	f := strings.Fields(string(out))
	if len(f) < 3 {
		return 0, fmt.Errorf("%s/postgres --version: %q", bin, out)
	}
	major, _, _ := strings.Cut(f[2], ".")
	n, err := strconv.Atoi(major)
	if err != nil {
		return 0, fmt.Errorf("%s/postgres --version: %q", bin, out)
	}
	return n, nil
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

// defaultImage is the container the tests run when a Docker engine
// answers and TEST_PG_IMAGE does not name another: the version
// docker-compose.yml deploys.
const defaultImage = "postgres:17"

// startDocker runs TEST_PG_IMAGE (default postgres:17) when a Docker engine
// answers; a docker client without an engine is not enough.
func startDocker() (*server, error) {
	image := cmp.Or(os.Getenv("TEST_PG_IMAGE"), defaultImage)
	repo, tag := image, "latest"
	if i := strings.LastIndex(image, ":"); i > strings.LastIndex(image, "/") {
		repo, tag = image[:i], image[i+1:]
	}
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
		Repository: repo,
		Tag:        tag,
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
		return nil, fmt.Errorf("start %s: %w", image, err)
	}
	_ = res.Expire(3600) // a crashed test run must not leak the container for long
	conf := pgtestdb.Config{
		DriverName: "pgx", Host: "127.0.0.1", Port: res.GetPort("5432/tcp"),
		User: "postgres", Password: password, Database: "postgres", Options: "sslmode=disable",
	}
	if err := pool.Retry(func() error { return ping(conf) }); err != nil {
		_ = pool.Purge(res)
		return nil, fmt.Errorf("%s did not become ready: %w", image, err)
	}
	// The image stops PostgreSQL with SIGINT, a fast shutdown, as
	// pg_ctl restart -m fast does for a cluster of our own.
	restart := func() error {
		if err := pool.Client.RestartContainer(res.Container.ID, 30); err != nil {
			return fmt.Errorf("restart the %s container: %w", image, err)
		}
		return waitReady(conf, time.Minute)
	}
	return &server{conf: conf, stop: func() { _ = pool.Purge(res) }, restart: restart}, nil
}

// startCluster creates and starts a throwaway cluster from the PostgreSQL
// binaries in bin, listening on a free loopback port.
func startCluster(bin string) (*server, error) {
	for _, p := range []string{"initdb", "pg_ctl", "postgres"} {
		if _, err := os.Stat(filepath.Join(bin, p)); err != nil {
			return nil, err
		}
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
