package gold_test

import (
	"encoding/json"
	"math/big"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// The snapshot as the tests read it: straight from its JSON files with
// encoding/json, independently of the loader and its SQL. Launches come
// from v5 (crew roles), the rest from v4, as a sync reads them.

type snapshotData struct {
	launches   []*launch
	payloads   map[string]*payload
	rockets    []*rocket
	cores      []*core
	crew       []*crewMember
	launchpads []*launchpad
	landpads   []*landpad
}

type launch struct {
	ID            string  `json:"id"`
	Name          *string `json:"name"`
	FlightNumber  *int64  `json:"flight_number"`
	DateUTC       *string `json:"date_utc"`
	DatePrecision *string `json:"date_precision"`
	Upcoming      *bool   `json:"upcoming"`
	Success       *bool   `json:"success"`
	StaticFireUTC *string `json:"static_fire_date_utc"`
	Rocket        *string `json:"rocket"`
	Launchpad     *string `json:"launchpad"`
	Fairings      *struct {
		Reused          *bool `json:"reused"`
		RecoveryAttempt *bool `json:"recovery_attempt"`
		Recovered       *bool `json:"recovered"`
	} `json:"fairings"`
	Cores    []launchCore `json:"cores"`
	Payloads []string     `json:"payloads"`
	Crew     []struct {
		Crew *string `json:"crew"`
		Role *string `json:"role"`
	} `json:"crew"`

	date       *time.Time
	staticFire *time.Time
}

// launchCore is an element of launch.cores[].
type launchCore struct {
	Core           *string `json:"core"`
	Flight         *int64  `json:"flight"`
	Reused         *bool   `json:"reused"`
	LandingAttempt *bool   `json:"landing_attempt"`
	LandingSuccess *bool   `json:"landing_success"`
	LandingType    *string `json:"landing_type"`
	Landpad        *string `json:"landpad"`
}

// flown: upcoming = false (NULL is neither flown nor upcoming).
func (l *launch) flown() bool { return l.Upcoming != nil && !*l.Upcoming }

// year is the UTC year of date_utc, or nil.
func (l *launch) year() any {
	if l.date == nil {
		return nil
	}
	return int64(l.date.UTC().Year())
}

type payload struct {
	ID        string       `json:"id"`
	Name      *string      `json:"name"`
	Type      *string      `json:"type"`
	Orbit     *string      `json:"orbit"`
	MassKg    *json.Number `json:"mass_kg"`
	Customers []string     `json:"customers"`
}

type rocket struct {
	ID            string       `json:"id"`
	Name          *string      `json:"name"`
	CostPerLaunch *json.Number `json:"cost_per_launch"`
}

type core struct {
	ID           string  `json:"id"`
	Serial       *string `json:"serial"`
	Block        *int64  `json:"block"`
	Status       *string `json:"status"`
	ReuseCount   *int64  `json:"reuse_count"`
	RTLSAttempts *int64  `json:"rtls_attempts"`
	RTLSLandings *int64  `json:"rtls_landings"`
	ASDSAttempts *int64  `json:"asds_attempts"`
	ASDSLandings *int64  `json:"asds_landings"`
}

type crewMember struct {
	ID       string   `json:"id"`
	Name     *string  `json:"name"`
	Agency   *string  `json:"agency"`
	Status   *string  `json:"status"`
	Launches []string `json:"launches"`
}

type launchpad struct {
	ID              string  `json:"id"`
	Name            *string `json:"name"`
	FullName        *string `json:"full_name"`
	Locality        *string `json:"locality"`
	Region          *string `json:"region"`
	Status          *string `json:"status"`
	LaunchAttempts  *int64  `json:"launch_attempts"`
	LaunchSuccesses *int64  `json:"launch_successes"`
}

type landpad struct {
	ID               string  `json:"id"`
	Name             *string `json:"name"`
	FullName         *string `json:"full_name"`
	Type             *string `json:"type"`
	Locality         *string `json:"locality"`
	Region           *string `json:"region"`
	Status           *string `json:"status"`
	LandingAttempts  *int64  `json:"landing_attempts"`
	LandingSuccesses *int64  `json:"landing_successes"`
}

func readSnapshot(t *testing.T, dir string) *snapshotData {
	t.Helper()
	s := &snapshotData{payloads: map[string]*payload{}}
	readJSON(t, filepath.Join(dir, "v5", "launches.json"), &s.launches)
	for _, l := range s.launches {
		l.date = parseTime(t, l.DateUTC)
		l.staticFire = parseTime(t, l.StaticFireUTC)
	}
	var payloads []*payload
	readJSON(t, filepath.Join(dir, "v4", "payloads.json"), &payloads)
	for _, p := range payloads {
		s.payloads[p.ID] = p
	}
	readJSON(t, filepath.Join(dir, "v4", "rockets.json"), &s.rockets)
	readJSON(t, filepath.Join(dir, "v4", "cores.json"), &s.cores)
	readJSON(t, filepath.Join(dir, "v4", "crew.json"), &s.crew)
	readJSON(t, filepath.Join(dir, "v4", "launchpads.json"), &s.launchpads)
	readJSON(t, filepath.Join(dir, "v4", "landpads.json"), &s.landpads)
	return s
}

func readJSON(t *testing.T, file string, v any) {
	t.Helper()
	f, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	dec := json.NewDecoder(f)
	dec.UseNumber()
	if err := dec.Decode(v); err != nil {
		t.Fatalf("%s: %v", file, err)
	}
}

func parseTime(t *testing.T, s *string) *time.Time {
	t.Helper()
	if s == nil {
		return nil
	}
	v, err := time.Parse(time.RFC3339Nano, *s)
	if err != nil {
		t.Fatalf("timestamp %q: %v", *s, err)
	}
	return &v
}

func number(t *testing.T, n *json.Number) *big.Rat {
	t.Helper()
	if n == nil {
		return nil
	}
	r, ok := new(big.Rat).SetString(string(*n))
	if !ok {
		t.Fatalf("number %q", *n)
	}
	return r
}

// Values as a view holds them: nil for NULL.

func str(p *string) any {
	if p == nil {
		return nil
	}
	return *p
}

func integer(p *int64) any {
	if p == nil {
		return nil
	}
	return *p
}

func boolean(p *bool) any {
	if p == nil {
		return nil
	}
	return *p
}

func timestamp(p *time.Time) any {
	if p == nil {
		return nil
	}
	return p.UTC()
}

func rat(r *big.Rat) any {
	if r == nil {
		return nil
	}
	return r
}

func isTrue(p *bool) bool  { return p != nil && *p }
func isFalse(p *bool) bool { return p != nil && !*p }

// exact says whether a launch's date_precision makes its date_utc a real
// time: only "hour" does; an unknown precision is not exact (docs/gold.md,
// "Dates are only as exact as date_precision").
func exact(l *launch) bool { return l.DatePrecision != nil && *l.DatePrecision == "hour" }

// seconds between two instants, exactly.
func seconds(from, to time.Time) *big.Rat {
	return big.NewRat(to.Sub(from).Milliseconds(), 1000)
}

// minTime and maxTime fold a timestamp into a running minimum or maximum:
// first and last are the earliest and latest known dates, so an unknown one
// (nil) changes nothing (docs/gold.md, "First and last").
func minTime(cur *time.Time, v *time.Time) *time.Time {
	if v != nil && (cur == nil || v.Before(*cur)) {
		return v
	}
	return cur
}

func maxTime(cur *time.Time, v *time.Time) *time.Time {
	if v != nil && (cur == nil || v.After(*cur)) {
		return v
	}
	return cur
}

// sum adds up the known numbers: unknown ones (nil) are left out, not
// counted as 0, and a sum over none is 0 (docs/gold.md, "Masses").
type sum struct {
	total *big.Rat
	known int64
}

func (s *sum) add(r *big.Rat) {
	if r == nil {
		return
	}
	if s.total == nil {
		s.total = new(big.Rat)
	}
	s.total.Add(s.total, r)
	s.known++
}

func (s *sum) orZero() *big.Rat {
	if s.total == nil {
		return new(big.Rat)
	}
	return s.total
}

// avg is the mean of the known numbers; nil (NULL) over none.
func (s *sum) avg() any {
	if s.known == 0 {
		return nil
	}
	return approx{new(big.Rat).Quo(s.total, big.NewRat(s.known, 1))}
}
