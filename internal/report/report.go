// Package report renders the gold views as one self-contained HTML page:
// a chart per topic (inline SVG drawn with gonum/plot), each with the table
// of the exact figures behind it, and when the data was last synced. The
// page loads nothing: no script, no external style sheet, font or image.
package report

import (
	"context"
	"errors"
	"fmt"
	"math/big"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/spacex-elt/loader/internal/db/dbsqlc"
)

// q runs the generated queries; each call takes its connection.
var q = dbsqlc.New()

// Format says how a figure is shown. The exact value is always kept in the
// cell's data-value attribute.
type Format int

const (
	// Exact shows the value as PostgreSQL prints it (counts, masses).
	Exact Format = iota
	// Decimal2 rounds to two decimals, halves away from zero (dollars).
	Decimal2
	// Decimal1 rounds to one decimal (averages).
	Decimal1
	// Percent shows a fraction from 0 to 1 as a percentage with one
	// decimal.
	Percent
)

// Column is a figure of a table: the view's column it comes from.
type Column struct {
	Name   string // the column's name in the view (data-col)
	Label  string // its header
	Format Format
}

// Row is one row of a table. Values are in the order of the table's
// columns, nil for NULL.
type Row struct {
	// Key identifies the row in the view: its key column as text, "" for
	// NULL (data-key).
	Key string
	// Label is what the row is called on the page.
	Label  string
	Values []*string
}

// Table is the figures behind a chart.
type Table struct {
	// View is the gold view the figures come from (data-view).
	View     string
	Caption  string
	KeyLabel string
	Columns  []Column
	Rows     []Row
	query    string
}

// Section is one chart with its tables.
type Section struct {
	ID, Title, Note string
	Tables          []Table
	chart           func(s Section) (string, error)
}

// Data is everything the page shows.
type Data struct {
	Sections []Section
	// LastSync is when the newest succeeded run finished; ok false when
	// no run succeeded.
	LastSync   time.Time
	LastSyncOK bool
	LastRunID  int64
}

// Synced says whose data the page shows, for loader report's line on
// stdout: "data of run 7, synced 2026-12-06 12:00:00 UTC".
func (d Data) Synced() string {
	if !d.LastSyncOK {
		return "no sync has succeeded yet"
	}
	return fmt.Sprintf("data of run %d, synced %s", d.LastRunID, d.LastSync.UTC().Format("2006-01-02 15:04:05 UTC"))
}

// sections lays out the page; Load fills in the rows.
func sections() []Section {
	return []Section{
		{
			ID: "cost", Title: "Cost per kilogram by rocket",
			Note: "Cost per launch × launches flown ÷ payload mass delivered by successful launches. Rockets with no delivered mass have no figure.",
			Tables: []Table{{
				View: "gold.rocket_cost_efficiency", KeyLabel: "Rocket", query: costQuery,
				Columns: []Column{
					{"launches_flown", "Launches flown", Exact},
					{"cost_per_launch_usd", "Cost per launch (USD)", Exact},
					{"payload_mass_delivered_kg", "Payload delivered (kg)", Exact},
					{"cost_per_kg_usd", "Cost per kg (USD)", Decimal2},
				},
			}},
			chart: costChart,
		},
		{
			ID: "launches", Title: "Launches and success rate per year",
			Note: "Every rocket's launches of the year (UTC) added up. Success rate = succeeded ÷ (succeeded + failed); unknown outcomes count in neither. Upcoming launches are placeholders, not flights.",
			Tables: []Table{{
				View: "gold.launch_stats_by_year_rocket", KeyLabel: "Year", query: launchesQuery,
				Columns: []Column{
					{"launches_flown", "Flown", Exact},
					{"launches_succeeded", "Succeeded", Exact},
					{"launches_failed", "Failed", Exact},
					{"launches_outcome_unknown", "Outcome unknown", Exact},
					{"launches_upcoming", "Upcoming", Exact},
					{"success_rate", "Success rate", Percent},
				},
			}},
			chart: launchesChart,
		},
		{
			ID: "boosters", Title: "Booster landings and reuse",
			Note: "Landing attempts of every booster of every flown launch, by landing type; and how many cores flew how many times (a core that flew n times was reused n − 1 times).",
			Tables: []Table{{
				View: "gold.landings_by_type", KeyLabel: "Landing type", query: landingsQuery,
				Columns: []Column{
					{"attempts", "Attempts", Exact},
					{"successes", "Successes", Exact},
					{"failures", "Failures", Exact},
					{"outcome_unknown", "Outcome unknown", Exact},
					{"success_rate", "Success rate", Percent},
				},
			}, {
				View: "gold.core_reuse", KeyLabel: "Flights", query: reuseQuery,
				Caption: "Cores by number of flights",
				Columns: []Column{{"cores", "Cores", Exact}},
			}},
			chart: boostersChart,
		},
		{
			ID: "orbits", Title: "Payload mass by orbit",
			Note: "Payloads of flown launches, each once, by target orbit. Unknown masses are left out of the sums.",
			Tables: []Table{{
				View: "gold.payload_mass_by_orbit", KeyLabel: "Orbit", query: orbitQuery,
				Columns: []Column{
					{"payloads", "Payloads", Exact},
					{"payloads_with_mass", "With known mass", Exact},
					{"mass_kg", "Mass (kg)", Exact},
					{"avg_mass_kg", "Average mass (kg)", Decimal1},
					{"payloads_delivered", "Delivered", Exact},
					{"mass_delivered_kg", "Mass delivered (kg)", Exact},
				},
			}},
			chart: orbitsChart,
		},
		{
			ID: "fairings", Title: "Fairing recovery by year",
			Note: "Flown launches of the year (UTC). Recovery rate = recovered ÷ (recovered + not recovered). The API stopped recording fairings in 2022.",
			Tables: []Table{{
				View: "gold.fairing_recovery_by_year", KeyLabel: "Year", query: fairingQuery,
				Columns: []Column{
					{"launches_flown", "Flown", Exact},
					{"launches_without_fairing_data", "No fairing data", Exact},
					{"launches_reused_fairings", "Reused fairing", Exact},
					{"recovery_attempts", "Recovery attempts", Exact},
					{"recoveries", "Recovered", Exact},
					{"recovery_failures", "Not recovered", Exact},
					{"recovery_outcome_unknown", "Outcome unknown", Exact},
					{"recovery_rate", "Recovery rate", Percent},
				},
			}},
			chart: fairingsChart,
		},
	}
}

// Load reads the report's figures and the last succeeded run. Run it in
// one read-only REPEATABLE READ transaction so that every figure comes
// from the same snapshot.
func Load(ctx context.Context, db dbsqlc.DBTX) (Data, error) {
	var d Data
	// From gold.freshness, not meta.runs: the analyst, who reads gold for
	// dashboards, may write this report too.
	last, err := q.GoldFreshnessLastRun(ctx, db)
	switch {
	case errors.Is(err, pgx.ErrNoRows):
	case err != nil:
		return Data{}, fmt.Errorf("read the last succeeded run (gold.freshness): %w", err)
	default:
		d.LastSync, d.LastSyncOK, d.LastRunID = last.FinishedAt, true, last.RunID
	}
	d.Sections = sections()
	for i := range d.Sections {
		for j := range d.Sections[i].Tables {
			t := &d.Sections[i].Tables[j]
			if t.Rows, err = readRows(ctx, db, t.query, len(t.Columns)); err != nil {
				return Data{}, fmt.Errorf("read %s for %q: %w", t.View, d.Sections[i].Title, err)
			}
		}
	}
	return d, nil
}

func readRows(ctx context.Context, db dbsqlc.DBTX, query string, ncols int) ([]Row, error) {
	rows, err := db.Query(ctx, query)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Row
	for rows.Next() {
		var key, label *string
		vals := make([]*string, ncols)
		dest := []any{&key, &label}
		for i := range vals {
			dest = append(dest, &vals[i])
		}
		if err := rows.Scan(dest...); err != nil {
			return nil, err
		}
		r := Row{Label: "unknown", Values: vals}
		if key != nil {
			r.Key = *key
		}
		if label != nil {
			r.Label = *label
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// Show formats an exact value as the page shows it; nil (NULL) is "—".
func Show(v *string, f Format) string {
	if v == nil {
		return "—"
	}
	if f == Exact {
		return *v
	}
	r, ok := new(big.Rat).SetString(*v)
	if !ok {
		return *v
	}
	switch f {
	case Decimal2:
		return r.FloatString(2)
	case Decimal1:
		return r.FloatString(1)
	case Percent:
		return r.Mul(r, big.NewRat(100, 1)).FloatString(1) + "%"
	}
	return *v
}
