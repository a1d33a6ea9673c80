package ledger

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
)

// RunLockName is the run lock's row of meta.locks, held by a sync or
// replay for its whole run. Locking it FOR UPDATE needs UPDATE on the
// table, which only the owner and spacex_writer have, so a login with only
// spacex_analyst can neither take it nor make the loader wait for it, as it
// could with an advisory lock's key. (loader migrate's lock is a table
// lock: internal/migrate.)
const RunLockName = "run"

// ErrLocked: another session holds the lock; errors.Is matches every
// *LockedError. Its text is the message's start when a sync or replay holds
// the run lock, the common case.
var ErrLocked = errors.New("another sync or replay is running")

// LockedError says who holds a lock the loader could not take.
type LockedError struct {
	// Lock is the lock's name (RunLockName).
	Lock string
	// Holders are the backends holding it, as meta.lock_holders finds them;
	// none when the holder let go before it was looked for.
	Holders []Holder
	// Waited is how long the loader waited for it (zero: not at all).
	Waited time.Duration
}

// Holder is a backend holding a lock, and the run it holds it for, when it
// is a sync or replay's lock session.
type Holder struct {
	PID       int32      `json:"pid"`
	Role      string     `json:"role"`
	RunID     *int64     `json:"run_id"`
	Source    *string    `json:"source"`
	StartedAt *time.Time `json:"started_at"`
}

func (h Holder) String() string {
	if h.RunID != nil && h.Source != nil && h.StartedAt != nil {
		return fmt.Sprintf("run %d (%s, started %s)", *h.RunID, *h.Source, h.StartedAt.UTC().Format(time.RFC3339))
	}
	return fmt.Sprintf("PostgreSQL backend %d (role %s)", h.PID, h.Role)
}

// Error names the holder truthfully: a run only when a loader's run holds
// the lock.
func (e *LockedError) Error() string {
	var names []string
	loader := false
	for _, h := range e.Holders {
		names = append(names, h.String())
		loader = loader || h.RunID != nil
	}
	holder := strings.Join(names, ", ")
	if holder == "" {
		holder = "another session"
	}
	var msg string
	switch {
	case e.Lock == RunLockName && loader:
		msg = ErrLocked.Error() + ": " + holder
	case e.Lock == RunLockName:
		msg = "the run lock is taken, not by a sync or replay: " + holder
	default:
		msg = "the " + e.Lock + " lock is taken: " + holder
	}
	if e.Waited > 0 {
		return fmt.Sprintf("%s still holds the lock after %s", msg, e.Waited)
	}
	return msg + " holds the lock"
}

// Is makes errors.Is(err, ErrLocked) hold for a LockedError.
func (e *LockedError) Is(target error) bool { return target == ErrLocked }

// Take takes the lock name for the rest of tx, waiting up to timeout for
// its holder (zero: not at all; negative: as long as it takes). The lock
// ends with tx. When the lock stays taken it rolls tx back and fails with
// a *LockedError. It locks the row in tx itself, not in a savepoint: the
// row then holds tx's own id, which pg_locks shows as long as tx lives,
// where a released savepoint's would not be (meta.lock_holders).
func Take(ctx context.Context, tx pgx.Tx, name string, timeout time.Duration) error {
	err := take(ctx, tx, name, timeout)
	var pgErr *pgconn.PgError
	if !errors.As(err, &pgErr) || pgErr.Code != "55P03" { // lock_not_available
		if errors.Is(err, pgx.ErrNoRows) {
			err = fmt.Errorf("meta.locks has no %q row (has `loader migrate` run?)", name)
		}
		if err != nil {
			return fmt.Errorf("take the %s lock: %w", name, err)
		}
		return nil
	}
	locked := &LockedError{Lock: name, Waited: max(timeout, 0)}
	if err := tx.Rollback(ctx); err == nil {
		if b, err := q.LockHolders(ctx, tx.Conn(), name); err == nil {
			_ = json.Unmarshal(b, &locked.Holders)
		}
	}
	return locked
}

func take(ctx context.Context, tx pgx.Tx, name string, timeout time.Duration) error {
	if timeout == 0 {
		_, err := q.LockTakeNowait(ctx, tx, name)
		return err
	}
	if timeout < 0 {
		_, err := q.LockTake(ctx, tx, name)
		return err
	}
	set, err := q.LockTimeout(ctx, tx, fmt.Sprintf("%dms", max(1, timeout.Milliseconds())))
	if err != nil {
		return err
	}
	if _, err := q.LockTake(ctx, tx, name); err != nil {
		return err
	}
	_, err = q.LockTimeout(ctx, tx, set.Previous)
	return err
}

// Lock is the run lock, held by a transaction on a session of its own,
// in which the run promotes: if the session is lost, the lock goes with it,
// and so does the promotion, so a run never commits without the lock.
type Lock struct {
	// Tx holds the lock; the promotion is a savepoint in it (Tx.Begin),
	// and Commit commits both.
	Tx pgx.Tx
	// PID is the backend of Tx's session, recorded with the run
	// (meta.runs.pid) so that a run that cannot take the lock names it.
	PID  int32
	conn *pgxpool.Conn
}

// TakeRunLock takes the run lock, waiting up to timeout for another run to
// release it (zero: not at all). Release the Lock when the run is over.
func TakeRunLock(ctx context.Context, pool *pgxpool.Pool, timeout time.Duration) (*Lock, error) {
	conn, err := pool.Acquire(ctx)
	if err != nil {
		return nil, fmt.Errorf("take the run lock: %w", err)
	}
	l := &Lock{PID: int32(conn.Conn().PgConn().PID()), conn: conn}
	if l.Tx, err = conn.Begin(ctx); err != nil {
		conn.Release()
		return nil, fmt.Errorf("take the run lock: %w", err)
	}
	if err := Take(ctx, l.Tx, RunLockName, max(timeout, 0)); err != nil {
		l.Release()
		return nil, err
	}
	return l, nil
}

// Commit commits the lock's transaction, and with it the promotion, and
// so releases the lock. Once COMMIT is sent its outcome is the run's, so
// it is sent whether or not ctx is cancelled.
func (l *Lock) Commit(ctx context.Context) error {
	return l.Tx.Commit(context.WithoutCancel(ctx))
}

// Release rolls back whatever of the lock's transaction was not committed,
// which releases the lock, and returns its session to the pool.
func (l *Lock) Release() {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := l.Tx.Rollback(ctx); err != nil && !errors.Is(err, pgx.ErrTxClosed) {
		// Closing the session releases the lock for certain.
		l.conn.Conn().Close(ctx)
	}
	l.conn.Release()
}
