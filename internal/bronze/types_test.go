package promote_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/spacex-elt/loader/internal/pgtest"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

func ptr(s string) *string { return &s }

func show(s *string) string {
	if s == nil {
		return "NULL"
	}
	return strconv.Quote(*s)
}

// asTypes is the type of what each bronze.as_<kind> returns, as pg_typeof
// names it: the type of the bronze columns generated from it.
var asTypes = map[string]string{
	"text":          "text",
	"numeric":       "numeric",
	"boolean":       "boolean",
	"integer":       "integer",
	"bigint":        "bigint",
	"uuid":          "uuid",
	"date":          "date",
	"timestamptz":   "timestamp with time zone",
	"text_array":    "text[]",
	"integer_array": "integer[]",
}

// TestTypeChecks pins what the bronze.as_* functions (db/migrations) make
// of JSON values and what bronze.problem and bronze.issue (db/functions/
// bronze.sql) say about the ones they reject.
func TestTypeChecks(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool, err := pgxpool.New(ctx, pgtest.DSN(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)

	// query runs sql in a transaction whose TimeZone is tz (UTC when empty)
	// and DateStyle ISO, so values render the same on any server.
	query := func(t *testing.T, tz, sql string, args []any, dest ...any) {
		t.Helper()
		if tz == "" {
			tz = "UTC"
		}
		tx, err := pool.Begin(ctx)
		if err != nil {
			t.Fatal(err)
		}
		defer tx.Rollback(ctx) //nolint:errcheck // read only
		var got string
		if err := tx.QueryRow(ctx, `SELECT set_config('TimeZone', $1, true), set_config('DateStyle', 'ISO, MDY', true)`,
			tz).Scan(&got, nil); err != nil {
			t.Fatal(err)
		}
		if got != tz {
			t.Fatalf("TimeZone is %q, want %q", got, tz)
		}
		if err := tx.QueryRow(ctx, sql, args...).Scan(dest...); err != nil {
			t.Fatalf("%s %v: %v", sql, args, err)
		}
	}

	// Each case is a JSON value given to bronze.as_<kind> and to
	// bronze.problem(v, kind): want is the typed value as PostgreSQL renders
	// it (nil: NULL), reason what bronze.problem says (nil: NULL, it fits).
	// Kind "array" (a bridge's source array) has no as_ function: only its
	// reason is checked.
	tests := []struct {
		name   string
		kind   string
		in     string
		tz     string // session TimeZone; UTC when empty
		want   *string
		reason *string
	}{
		// integer: the int4 range, integral numbers however written.
		{name: "integer/min", kind: "integer", in: `-2147483648`, want: ptr("-2147483648")},
		{name: "integer/max", kind: "integer", in: `2147483647`, want: ptr("2147483647")},
		{name: "integer/below min", kind: "integer", in: `-2147483649`, reason: ptr("integer out of range")},
		{name: "integer/above max", kind: "integer", in: `2147483648`, reason: ptr("integer out of range")},
		{name: "integer/far beyond bigint", kind: "integer", in: `1e100`, reason: ptr("integer out of range")},
		{name: "integer/integral decimal", kind: "integer", in: `2.0`, want: ptr("2")},
		{name: "integer/exponent", kind: "integer", in: `1e3`, want: ptr("1000")},
		{name: "integer/negative zero", kind: "integer", in: `-0`, want: ptr("0")},
		{name: "integer/fraction", kind: "integer", in: `2.5`, reason: ptr("expected integer, got a fraction")},
		{name: "integer/tiny fraction", kind: "integer", in: `2.000000000000000000001`, reason: ptr("expected integer, got a fraction")},
		{name: "integer/negative exponent", kind: "integer", in: `1e-3`, reason: ptr("expected integer, got a fraction")},
		{name: "integer/string", kind: "integer", in: `"2"`, reason: ptr("expected integer, got string")},
		{name: "integer/boolean", kind: "integer", in: `true`, reason: ptr("expected integer, got boolean")},
		{name: "integer/array", kind: "integer", in: `[1]`, reason: ptr("expected integer, got array")},
		{name: "integer/object", kind: "integer", in: `{"a": 1}`, reason: ptr("expected integer, got object")},

		// bigint: the int8 range.
		{name: "bigint/min", kind: "bigint", in: `-9223372036854775808`, want: ptr("-9223372036854775808")},
		{name: "bigint/max", kind: "bigint", in: `9223372036854775807`, want: ptr("9223372036854775807")},
		{name: "bigint/below min", kind: "bigint", in: `-9223372036854775809`, reason: ptr("integer out of range")},
		{name: "bigint/above max", kind: "bigint", in: `9223372036854775808`, reason: ptr("integer out of range")},
		{name: "bigint/beyond integer", kind: "bigint", in: `2147483648`, want: ptr("2147483648")},
		{name: "bigint/exponent", kind: "bigint", in: `1.5e10`, want: ptr("15000000000")},
		{name: "bigint/fraction", kind: "bigint", in: `1.5`, reason: ptr("expected integer, got a fraction")},
		{name: "bigint/string", kind: "bigint", in: `"1"`, reason: ptr("expected integer, got string")},

		// numeric: decimals exactly as written (no float on the way).
		{name: "numeric/decimal", kind: "numeric", in: `4.4`, want: ptr("4.4")},
		{name: "numeric/trailing zero kept", kind: "numeric", in: `1.50`, want: ptr("1.50")},
		{name: "numeric/beyond float64", kind: "numeric", in: `0.1000000000000000000000000001`, want: ptr("0.1000000000000000000000000001")},
		{name: "numeric/exponent", kind: "numeric", in: `1e3`, want: ptr("1000")},
		{name: "numeric/negative", kind: "numeric", in: `-273.15`, want: ptr("-273.15")},
		{name: "numeric/string", kind: "numeric", in: `"4.4"`, reason: ptr("expected number, got string")},
		{name: "numeric/boolean", kind: "numeric", in: `false`, reason: ptr("expected number, got boolean")},

		// boolean.
		{name: "boolean/true", kind: "boolean", in: `true`, want: ptr("true")},
		{name: "boolean/false", kind: "boolean", in: `false`, want: ptr("false")},
		{name: "boolean/string", kind: "boolean", in: `"true"`, reason: ptr("expected boolean, got string")},
		{name: "boolean/number", kind: "boolean", in: `1`, reason: ptr("expected boolean, got number")},

		// text.
		{name: "text/string", kind: "text", in: `"Falcon 9"`, want: ptr("Falcon 9")},
		{name: "text/empty", kind: "text", in: `""`, want: ptr("")},
		{name: "text/escapes", kind: "text", in: `"a\"b\\c\n\u00e9"`, want: ptr("a\"b\\c\né")},
		{name: "text/object", kind: "text", in: `{"a": "b"}`, reason: ptr("expected string, got object")},
		{name: "text/array", kind: "text", in: `["a"]`, reason: ptr("expected string, got array")},
		{name: "text/number", kind: "text", in: `1`, reason: ptr("expected string, got number")},
		{name: "text/boolean", kind: "text", in: `true`, reason: ptr("expected string, got boolean")},

		// timestamptz: ISO 8601, a missing zone is UTC; rendered in the
		// session's TimeZone (UTC unless tz says otherwise).
		{name: "timestamptz/Z with millis", kind: "timestamptz", in: `"2006-03-24T22:30:00.000Z"`, want: ptr("2006-03-24 22:30:00+00")},
		{name: "timestamptz/offset with colon", kind: "timestamptz", in: `"2006-03-25T10:30:00+12:00"`, want: ptr("2006-03-24 22:30:00+00")},
		{name: "timestamptz/no zone is UTC", kind: "timestamptz", in: `"2010-06-04T18:45:00"`, want: ptr("2010-06-04 18:45:00+00")},
		{name: "timestamptz/no zone is UTC in New York", kind: "timestamptz", in: `"2010-06-04T18:45:00"`, tz: "America/New_York", want: ptr("2010-06-04 14:45:00-04")},
		{name: "timestamptz/no zone is UTC in Kiritimati", kind: "timestamptz", in: `"2010-06-04T18:45:00"`, tz: "Pacific/Kiritimati", want: ptr("2010-06-05 08:45:00+14")},
		{name: "timestamptz/space, no seconds", kind: "timestamptz", in: `"2010-06-04 18:45"`, want: ptr("2010-06-04 18:45:00+00")},
		{name: "timestamptz/space, no seconds in New York", kind: "timestamptz", in: `"2010-06-04 18:45"`, tz: "America/New_York", want: ptr("2010-06-04 14:45:00-04")},
		{name: "timestamptz/offset hhmm", kind: "timestamptz", in: `"2010-06-05T00:15:00+0530"`, want: ptr("2010-06-04 18:45:00+00")},
		{name: "timestamptz/offset hh", kind: "timestamptz", in: `"2010-06-04T10:45:00-08"`, want: ptr("2010-06-04 18:45:00+00")},
		{name: "timestamptz/offset in New York", kind: "timestamptz", in: `"2010-06-04T10:45:00-08"`, tz: "America/New_York", want: ptr("2010-06-04 14:45:00-04")},
		{name: "timestamptz/microseconds", kind: "timestamptz", in: `"2020-01-01T00:00:00.123456Z"`, want: ptr("2020-01-01 00:00:00.123456+00")},
		{name: "timestamptz/leap day", kind: "timestamptz", in: `"2020-02-29T12:00Z"`, want: ptr("2020-02-29 12:00:00+00")},
		// The API's two forms, checked by shape: each field at its bounds.
		{name: "timestamptz/API form, last instant of a day", kind: "timestamptz", in: `"2020-12-31T23:59:59.999Z"`, want: ptr("2020-12-31 23:59:59.999+00")},
		{name: "timestamptz/API form, farthest offsets", kind: "timestamptz", in: `"2020-06-01T00:00:00-15:59"`, want: ptr("2020-06-01 15:59:00+00")},
		{name: "timestamptz/API form, plus offset", kind: "timestamptz", in: `"2020-06-01T15:59:00+15:59"`, want: ptr("2020-06-01 00:00:00+00")},
		{name: "timestamptz/API form, hour 24", kind: "timestamptz", in: `"2020-01-01T24:00:00.000Z"`, reason: ptr("unparseable timestamptz")},
		{name: "timestamptz/API form, minute 60", kind: "timestamptz", in: `"2020-01-01T23:60:00.000Z"`, reason: ptr("unparseable timestamptz")},
		{name: "timestamptz/API form, second 60", kind: "timestamptz", in: `"2020-01-01T23:59:60.000Z"`, reason: ptr("unparseable timestamptz")},
		{name: "timestamptz/API form, offset 16 hours", kind: "timestamptz", in: `"2020-01-01T00:00:00+16:00"`, reason: ptr("unparseable timestamptz")},
		{name: "timestamptz/API form, offset minute 60", kind: "timestamptz", in: `"2020-01-01T00:00:00-15:60"`, reason: ptr("unparseable timestamptz")},
		{name: "timestamptz/API form, Feb 29 of a common year", kind: "timestamptz", in: `"2021-02-29T00:00:00.000Z"`, reason: ptr("unparseable timestamptz")},
		{name: "timestamptz/API form, month 0", kind: "timestamptz", in: `"2020-00-10T00:00:00+01:00"`, reason: ptr("unparseable timestamptz")},
		{name: "timestamptz/now", kind: "timestamptz", in: `"now"`, reason: ptr("unparseable timestamptz")},
		{name: "timestamptz/epoch", kind: "timestamptz", in: `"epoch"`, reason: ptr("unparseable timestamptz")},
		{name: "timestamptz/infinity", kind: "timestamptz", in: `"infinity"`, reason: ptr("unparseable timestamptz")},
		{name: "timestamptz/Feb 29 of a common year", kind: "timestamptz", in: `"2021-02-29T00:00:00Z"`, reason: ptr("unparseable timestamptz")},
		{name: "timestamptz/Feb 30", kind: "timestamptz", in: `"2020-02-30T00:00Z"`, reason: ptr("unparseable timestamptz")},
		{name: "timestamptz/month 13", kind: "timestamptz", in: `"2020-13-01T00:00Z"`, reason: ptr("unparseable timestamptz")},
		{name: "timestamptz/hour 24", kind: "timestamptz", in: `"2020-01-01T24:00Z"`, reason: ptr("unparseable timestamptz")},
		{name: "timestamptz/words", kind: "timestamptz", in: `"next tuesday"`, reason: ptr("unparseable timestamptz")},
		{name: "timestamptz/date only", kind: "timestamptz", in: `"2010-06-04"`, reason: ptr("unparseable timestamptz")},
		{name: "timestamptz/zone name", kind: "timestamptz", in: `"2010-06-04 18:45 America/New_York"`, reason: ptr("unparseable timestamptz")},
		{name: "timestamptz/number", kind: "timestamptz", in: `1275677100`, reason: ptr("expected timestamptz string, got number")},

		// date: YYYY-MM-DD of the Gregorian calendar.
		{name: "date/iso", kind: "date", in: `"2010-06-04"`, want: ptr("2010-06-04")},
		{name: "date/leap day of a 400th year", kind: "date", in: `"2000-02-29"`, want: ptr("2000-02-29")},
		{name: "date/unpadded", kind: "date", in: `"2010-6-4"`, reason: ptr("unparseable date")},
		{name: "date/now", kind: "date", in: `"now"`, reason: ptr("unparseable date")},
		{name: "date/epoch", kind: "date", in: `"epoch"`, reason: ptr("unparseable date")},
		{name: "date/Feb 29 of a common year", kind: "date", in: `"2019-02-29"`, reason: ptr("unparseable date")},
		{name: "date/Feb 29 of a 100th year", kind: "date", in: `"1900-02-29"`, reason: ptr("unparseable date")},
		{name: "date/year 0", kind: "date", in: `"0000-01-01"`, reason: ptr("unparseable date")},
		{name: "date/with a time", kind: "date", in: `"2010-06-04T00:00:00Z"`, reason: ptr("unparseable date")},
		{name: "date/number", kind: "date", in: `20100604`, reason: ptr("expected date string, got number")},

		// uuid: 8-4-4-4-12 hex digits, any case, hyphens optional.
		{name: "uuid/standard", kind: "uuid", in: `"e3df2ecd-c239-472f-95e4-2b89b4f75800"`, want: ptr("e3df2ecd-c239-472f-95e4-2b89b4f75800")},
		{name: "uuid/upper case", kind: "uuid", in: `"E3DF2ECD-C239-472F-95E4-2B89B4F75800"`, want: ptr("e3df2ecd-c239-472f-95e4-2b89b4f75800")},
		{name: "uuid/no hyphens", kind: "uuid", in: `"e3df2ecdc239472f95e42b89b4f75800"`, want: ptr("e3df2ecd-c239-472f-95e4-2b89b4f75800")},
		{name: "uuid/braces", kind: "uuid", in: `"{e3df2ecd-c239-472f-95e4-2b89b4f75800}"`, reason: ptr("unparseable uuid")},
		{name: "uuid/short", kind: "uuid", in: `"abc"`, reason: ptr("unparseable uuid")},
		{name: "uuid/api object id", kind: "uuid", in: `"5eb87cd9ffd86e000604b32a"`, reason: ptr("unparseable uuid")},
		{name: "uuid/number", kind: "uuid", in: `1`, reason: ptr("expected uuid string, got number")},

		// text_array.
		{name: "text_array/strings", kind: "text_array", in: `["a", "b"]`, want: ptr("{a,b}")},
		{name: "text_array/empty", kind: "text_array", in: `[]`, want: ptr("{}")},
		{name: "text_array/number element", kind: "text_array", in: `["a", 1]`, reason: ptr("unexpected array element 1")},
		{name: "text_array/null element", kind: "text_array", in: `["a", null]`, reason: ptr("unexpected array element null")},
		{name: "text_array/first bad element", kind: "text_array", in: `["a", {"b": 1}, 2]`, reason: ptr(`unexpected array element {"b": 1}`)},
		{name: "text_array/string", kind: "text_array", in: `"a"`, reason: ptr("expected array, got string")},
		{name: "text_array/object", kind: "text_array", in: `{"a": "b"}`, reason: ptr("expected array, got object")},
		{name: "text_array/escapes", kind: "text_array", in: `["a\"b", "c\\d", "\u00e9,{}", "", "NULL"]`, want: ptr(`{"a\"b","c\\d","é,{}","","NULL"}`)},
		{name: "text_array/nested array", kind: "text_array", in: `[["a"]]`, reason: ptr(`unexpected array element ["a"]`)},
		{name: "text_array/boolean element", kind: "text_array", in: `["a", true]`, reason: ptr("unexpected array element true")},

		// integer_array: elements as bronze.as_integer.
		{name: "integer_array/integers", kind: "integer_array", in: `[1, 2.0]`, want: ptr("{1,2}")},
		{name: "integer_array/empty", kind: "integer_array", in: `[]`, want: ptr("{}")},
		{name: "integer_array/string element", kind: "integer_array", in: `["x"]`, reason: ptr(`unexpected array element "x"`)},
		{name: "integer_array/fraction element", kind: "integer_array", in: `[1, 2.5]`, reason: ptr("unexpected array element 2.5")},
		{name: "integer_array/out of range element", kind: "integer_array", in: `[2147483648]`, reason: ptr("unexpected array element 2147483648")},
		{name: "integer_array/number", kind: "integer_array", in: `1`, reason: ptr("expected array, got number")},
		{name: "integer_array/bounds", kind: "integer_array", in: `[-2147483648, 2147483647, 1e2, -0]`, want: ptr("{-2147483648,2147483647,100,0}")},
		{name: "integer_array/below range element", kind: "integer_array", in: `[-2147483649]`, reason: ptr("unexpected array element -2147483649")},
		{name: "integer_array/null element", kind: "integer_array", in: `[1, null]`, reason: ptr("unexpected array element null")},
		{name: "integer_array/nested array", kind: "integer_array", in: `[[1]]`, reason: ptr("unexpected array element [1]")},
		{name: "integer_array/object", kind: "integer_array", in: `{"a": 1}`, reason: ptr("expected array, got object")},

		// array: a bridge's source array, any elements.
		{name: "array/mixed elements", kind: "array", in: `[1, "a", null, {}]`},
		{name: "array/empty", kind: "array", in: `[]`},
		{name: "array/object", kind: "array", in: `{"a": 1}`, reason: ptr("expected array, got object")},
		{name: "array/string", kind: "array", in: `"a"`, reason: ptr("expected array, got string")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if tt.kind == "array" {
				var reason *string
				query(t, tt.tz, `SELECT bronze.problem($1::text::jsonb, $2)`, []any{tt.in, tt.kind}, &reason)
				if !reflect.DeepEqual(reason, tt.reason) {
					t.Errorf("bronze.problem(%s, %q) = %s, want %s", tt.in, tt.kind, show(reason), show(tt.reason))
				}
				return
			}
			var got, reason *string
			var typ string
			query(t, tt.tz, fmt.Sprintf(`SELECT bronze.as_%[1]s(v)::text, pg_typeof(bronze.as_%[1]s(v))::text, bronze.problem(v, $2)
				FROM (SELECT $1::text::jsonb AS v) s`, tt.kind), []any{tt.in, tt.kind}, &got, &typ, &reason)
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("bronze.as_%s(%s) = %s, want %s", tt.kind, tt.in, show(got), show(tt.want))
			}
			if typ != asTypes[tt.kind] {
				t.Errorf("bronze.as_%s returns %s, want %s", tt.kind, typ, asTypes[tt.kind])
			}
			if !reflect.DeepEqual(reason, tt.reason) {
				t.Errorf("bronze.problem(%s, %q) = %s, want %s", tt.in, tt.kind, show(reason), show(tt.reason))
			}
		})
	}

	// Absent (SQL NULL) and JSON null are NULL for every as_ function.
	// (bronze.problem is only defined for present, non-null values:
	// bronze.issue, below, is what handles these.)
	for kind := range asTypes {
		for _, in := range []*string{nil, ptr("null")} {
			name := "absent"
			if in != nil {
				name = "json null"
			}
			t.Run(kind+"/"+name, func(t *testing.T) {
				t.Parallel()
				var got *string
				query(t, "", fmt.Sprintf(`SELECT bronze.as_%s($1::text::jsonb)::text`, kind), []any{in}, &got)
				if got != nil {
					t.Errorf("bronze.as_%s(%s) = %q, want NULL", kind, show(in), *got)
				}
			})
		}
	}

	t.Run("problem/unknown kind", func(t *testing.T) {
		t.Parallel()
		_, err := pool.Exec(ctx, `SELECT bronze.problem('1', 'float')`)
		if err == nil || !strings.Contains(err.Error(), "bronze.problem: unknown kind float") {
			t.Errorf("bronze.problem('1', 'float'): error %v, want unknown kind float", err)
		}
	})

	// bronze.issue: the {field, reason, value} of a value at a path that
	// did not come out, nil for NULL.
	issues := []struct {
		name string
		doc  string
		path []string
		kind string
		want string // JSON; "" for NULL
	}{
		{name: "fits", doc: `{"name": "x"}`, path: []string{"name"}, kind: "text"},
		{name: "absent under an object", doc: `{"name": "x"}`, path: []string{"details"}, kind: "text"},
		{name: "absent under a nested object", doc: `{"links": {}}`, path: []string{"links", "patch", "small"}, kind: "text"},
		{name: "json null", doc: `{"details": null}`, path: []string{"details"}, kind: "text"},
		{name: "json null parent", doc: `{"dragon": null}`, path: []string{"dragon", "capsule"}, kind: "text"},
		{name: "wrong type", doc: `{"stages": "two"}`, path: []string{"stages"}, kind: "integer",
			want: `{"field": "stages", "reason": "expected integer, got string", "value": "two"}`},
		{name: "out of range", doc: `{"stages": 2147483648}`, path: []string{"stages"}, kind: "integer",
			want: `{"field": "stages", "reason": "integer out of range", "value": 2147483648}`},
		{name: "nested wrong type", doc: `{"height": {"meters": "70"}}`, path: []string{"height", "meters"}, kind: "numeric",
			want: `{"field": "height.meters", "reason": "expected number, got string", "value": "70"}`},
		{name: "parent is a string", doc: `{"links": "none"}`, path: []string{"links", "patch", "small"}, kind: "text",
			want: `{"field": "links", "reason": "expected object, got string", "value": "none"}`},
		{name: "nested parent is a string", doc: `{"links": {"patch": "none"}}`, path: []string{"links", "patch", "small"}, kind: "text",
			want: `{"field": "links.patch", "reason": "expected object, got string", "value": "none"}`},
		{name: "parent is a number", doc: `{"dragon": 1}`, path: []string{"dragon", "capsule"}, kind: "text",
			want: `{"field": "dragon", "reason": "expected object, got number", "value": 1}`},
		{name: "parent is an array", doc: `{"fairings": [true]}`, path: []string{"fairings", "reused"}, kind: "boolean",
			want: `{"field": "fairings", "reason": "expected object, got array", "value": [true]}`},
		{name: "document is an array", doc: `[{"name": "x"}]`, path: []string{"name"}, kind: "text",
			want: `{"field": "$", "reason": "expected object, got array", "value": [{"name": "x"}]}`},
		{name: "document is a string", doc: `"x"`, path: []string{"height", "meters"}, kind: "numeric",
			want: `{"field": "$", "reason": "expected object, got string", "value": "x"}`},
		{name: "bridge source not an array", doc: `{"payloads": "p1"}`, path: []string{"payloads"}, kind: "array",
			want: `{"field": "payloads", "reason": "expected array, got string", "value": "p1"}`},
		{name: "bridge source array", doc: `{"payloads": ["p1", 2]}`, path: []string{"payloads"}, kind: "array"},
	}
	for _, tt := range issues {
		t.Run("issue/"+tt.name, func(t *testing.T) {
			t.Parallel()
			var got *string
			query(t, "", `SELECT bronze.issue($1::text::jsonb, $2, $3)::text`, []any{tt.doc, tt.path, tt.kind}, &got)
			if tt.want == "" {
				if got != nil {
					t.Errorf("bronze.issue(%s, %v, %q) = %s, want NULL", tt.doc, tt.path, tt.kind, *got)
				}
				return
			}
			if got == nil {
				t.Fatalf("bronze.issue(%s, %v, %q) = NULL, want %s", tt.doc, tt.path, tt.kind, tt.want)
			}
			var g, w any
			if err := json.Unmarshal([]byte(*got), &g); err != nil {
				t.Fatal(err)
			}
			if err := json.Unmarshal([]byte(tt.want), &w); err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(g, w) {
				t.Errorf("bronze.issue(%s, %v, %q) = %s, want %s", tt.doc, tt.path, tt.kind, *got, tt.want)
			}
		})
	}
}

// A value of a field of the documents of TestTypeChecksUnderParallelPlan,
// with what the functions should make of it.
type variant struct {
	json    string // "" absent
	typed   bool   // bronze.as_<kind> is not NULL
	problem bool   // bronze.problem is not NULL (asked of present, non-null values only)
	issue   bool   // bronze.issue is not NULL
	instant bool   // the timestamptz 2010-06-04 18:45 UTC
}

func fits(j string) variant    { return variant{json: j, typed: true} }
func misfits(j string) variant { return variant{json: j, problem: true, issue: true} }

var (
	absent   = variant{}
	jsonNull = variant{json: "null"}
)

// TestTypeChecksUnderParallelPlan runs every type function in parallel
// workers, and proves they did: they are declared PARALLEL SAFE, so they
// must give the same answers there, and must not open a subtransaction (a
// PL/pgSQL EXCEPTION block), which a worker of PostgreSQL 15 or 16
// refuses. From 17 a worker allows one (PostgreSQL commit 0075d78, "Allow
// 'internal' subtransactions in parallel mode"), so there only the catalog
// check below keeps a block out; the control case asserts what each
// version does.
func TestTypeChecksUnderParallelPlan(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, pgtest.DSN(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close(ctx) })

	fields := []struct {
		path     []string
		kind     string
		variants []variant
	}{
		{[]string{"t"}, "text", []variant{fits(`"a"`), misfits(`1`), misfits(`{"a": "b"}`), jsonNull, absent}},
		{[]string{"n"}, "numeric", []variant{fits(`4.4`), misfits(`"4.4"`), fits(`1e3`), absent}},
		{[]string{"b"}, "boolean", []variant{fits(`true`), fits(`false`), misfits(`"true"`), misfits(`0`), jsonNull}},
		{[]string{"i"}, "integer", []variant{fits(`2147483647`), misfits(`2147483648`), fits(`2.0`), misfits(`2.5`),
			misfits(`"2"`), fits(`-2147483648`), misfits(`-2147483649`), jsonNull}},
		{[]string{"g"}, "bigint", []variant{fits(`9223372036854775807`), misfits(`9223372036854775808`),
			misfits(`-9223372036854775809`), fits(`1e3`), fits(`-9223372036854775808`), misfits(`0.5`)}},
		{[]string{"u"}, "uuid", []variant{fits(`"e3df2ecd-c239-472f-95e4-2b89b4f75800"`), fits(`"E3DF2ECDC239472F95E42B89B4F75800"`),
			misfits(`"{e3df2ecd-c239-472f-95e4-2b89b4f75800}"`), misfits(`"abc"`), misfits(`1`), absent, jsonNull}},
		{[]string{"d"}, "date", []variant{fits(`"2010-06-04"`), misfits(`"2019-02-29"`), fits(`"2000-02-29"`),
			misfits(`"1900-02-29"`), misfits(`"now"`), misfits(`"2010-6-4"`), absent}},
		{[]string{"ts"}, "timestamptz", []variant{
			{json: `"2010-06-04T18:45:00"`, typed: true, instant: true},
			{json: `"2010-06-04 18:45"`, typed: true, instant: true},
			{json: `"2010-06-05T00:15:00+0530"`, typed: true, instant: true},
			{json: `"2010-06-04T10:45:00-08"`, typed: true, instant: true},
			fits(`"2006-03-24T22:30:00.000Z"`), fits(`"2020-02-29T12:00Z"`),
			misfits(`"2021-02-29T00:00:00Z"`), misfits(`"2020-01-01T24:00Z"`), misfits(`"now"`), misfits(`"infinity"`),
			misfits(`"next tuesday"`), misfits(`1`), jsonNull}},
		{[]string{"ta"}, "text_array", []variant{fits(`["a", "b"]`), fits(`[]`), misfits(`["a", 1]`), misfits(`"a"`)}},
		{[]string{"ia"}, "integer_array", []variant{fits(`[1, 2.0]`), misfits(`["x"]`), fits(`[]`), misfits(`[2147483648]`), absent}},
		// A nested path: its parent's value decides.
		{[]string{"p", "q"}, "integer", []variant{
			{json: `{"q": 1}`, typed: true},
			{json: `{"q": "x"}`, problem: true, issue: true},
			{json: `"s"`, issue: true}, // the parent is no object: q is absent
			{json: `{"q": null}`},
			{json: `{}`}, jsonNull, absent}},
		{[]string{"arr"}, "array", []variant{fits(`[1, "a"]`), misfits(`{}`), absent}},
	}

	// Every 50th document is no object: each field is absent, and its
	// issue is about the document ("$").
	const docs = 6000
	notObject := func(i int) bool { return i%50 == 0 }
	texts := make([]string, docs)
	for i := range docs {
		if notObject(i) {
			texts[i] = []string{`["x"]`, `"x"`}[i/50%2]
			continue
		}
		var parts []string
		for _, f := range fields {
			v := f.variants[i%len(f.variants)]
			if v.json == "" {
				continue
			}
			// Of a nested path, the variant is the parent's value.
			parts = append(parts, strconv.Quote(f.path[0])+": "+v.json)
		}
		texts[i] = "{" + strings.Join(parts, ", ") + "}"
	}

	// What the query must return, computed here from the variants.
	var labels, cols []string
	var want []int64
	for _, f := range fields {
		x := fmt.Sprintf("(doc #> '{%s}')", strings.Join(f.path, ","))
		name := strings.Join(f.path, ".")
		var typed, problem, issue, instant int64
		for i := range docs {
			if notObject(i) {
				issue++
				continue
			}
			v := f.variants[i%len(f.variants)]
			typed += b2i(v.typed)
			problem += b2i(v.problem)
			issue += b2i(v.issue)
			instant += b2i(v.instant)
		}
		if f.kind != "array" {
			labels = append(labels, fmt.Sprintf("count(bronze.as_%s(%s))", f.kind, name))
			cols = append(cols, fmt.Sprintf("count(bronze.as_%s(%s))", f.kind, x))
			want = append(want, typed)
		}
		labels = append(labels,
			fmt.Sprintf("count(bronze.problem(%s, %s))", name, f.kind),
			fmt.Sprintf("count(bronze.issue(doc, %s, %s))", name, f.kind))
		cols = append(cols,
			fmt.Sprintf("count(bronze.problem(%s, '%s')) FILTER (WHERE jsonb_typeof(%s) <> 'null')", x, f.kind, x),
			fmt.Sprintf("count(bronze.issue(doc, '{%s}', '%s'))", strings.Join(f.path, ","), f.kind))
		want = append(want, problem, issue)
		if f.kind == "timestamptz" {
			labels = append(labels, fmt.Sprintf("count(bronze.as_%s(%s) = 2010-06-04 18:45 UTC)", f.kind, name))
			cols = append(cols, fmt.Sprintf("count(*) FILTER (WHERE bronze.as_timestamptz(%s) = '2010-06-04 18:45:00+00')", x))
			want = append(want, instant)
		}
	}
	for i, w := range want[:len(want)-1] {
		if w == 0 || (w == docs && !strings.Contains(labels[i], "issue")) {
			t.Fatalf("%s: %d of %d documents tells nothing; change the variants", labels[i], w, docs)
		}
	}
	// The last column counts the rows whose functions the leader
	// evaluated rather than a worker: probe.pid() is the pid of the
	// process evaluating it, compared with the leader's ($1).
	labels = append(labels, "rows evaluated by the leader")
	cols = append(cols, "count(*) FILTER (WHERE probe.pid() = $1)")
	want = append(want, 0)
	query := "SELECT " + strings.Join(cols, ",\n       ") + "\nFROM t"

	var version int
	if err := conn.QueryRow(ctx, `SELECT current_setting('server_version_num')::int`).Scan(&version); err != nil {
		t.Fatal(err)
	}
	force := "force_parallel_mode"
	if version >= 160000 {
		force = "debug_parallel_query"
	}
	for _, sql := range []string{
		`CREATE TABLE t AS SELECT d::jsonb AS doc FROM unnest($1::text[]) AS d`,
		`ANALYZE t`,
		// Functions for the checks to find, or not.
		`CREATE SCHEMA probe`,
		`CREATE FUNCTION probe.block(v jsonb) RETURNS integer LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
		 BEGIN RETURN (v ->> 'i')::integer;
		 exception
		   WHEN others THEN RETURN NULL; END $$`,
		`CREATE FUNCTION probe.raise(v jsonb) RETURNS integer LANGUAGE plpgsql PARALLEL SAFE AS $$
		 BEGIN RAISE EXCEPTION 'no'; END $$`,
		`CREATE FUNCTION probe.comment(v jsonb) RETURNS integer LANGUAGE plpgsql PARALLEL SAFE AS $$
		 BEGIN RETURN 1; -- no EXCEPTION WHEN here
		 END $$`,
		`CREATE FUNCTION probe.unsafe(v jsonb) RETURNS integer LANGUAGE plpgsql PARALLEL UNSAFE AS $$
		 BEGIN RETURN 1; EXCEPTION WHEN others THEN RETURN NULL; END $$`,
		// Which process evaluates a row: pg_backend_pid() is PARALLEL
		// RESTRICTED because a worker answers its own pid, which is what
		// this probe wants to see.
		`CREATE FUNCTION probe.pid() RETURNS integer LANGUAGE plpgsql VOLATILE PARALLEL SAFE AS $$
		 BEGIN RETURN pg_backend_pid(); END $$`,
		// The instants must not depend on the session's zone.
		`SET TimeZone = 'America/New_York'`,
		`SET max_parallel_workers_per_gather = 2`,
		`SET parallel_setup_cost = 0`,
		`SET parallel_tuple_cost = 0`,
		`SET min_parallel_table_scan_size = 0`,
		`SET ` + force + ` = on`,
		// Workers do all the scanning (and so call every function), the
		// leader only gathers.
		`SET parallel_leader_participation = off`,
	} {
		var args []any
		if strings.Contains(sql, "$1") {
			args = []any{texts}
		}
		if _, err := conn.Exec(ctx, sql, args...); err != nil {
			t.Fatalf("%s: %v", sql, err)
		}
	}

	var leader int32
	if err := conn.QueryRow(ctx, "SELECT pg_backend_pid()").Scan(&leader); err != nil {
		t.Fatal(err)
	}
	// parallel proves that the plan of sql runs its aggregate, and so
	// every function it calls, in launched workers, before any result of
	// sql is read: with no worker launched, the leader would run the plan
	// itself and prove nothing about workers.
	parallel := func(t *testing.T, sql string) {
		t.Helper()
		var out string
		if err := conn.QueryRow(ctx, "EXPLAIN (ANALYZE, FORMAT JSON) "+sql, leader).Scan(&out); err != nil {
			t.Fatal(err)
		}
		var plans []struct{ Plan planNode }
		if err := json.Unmarshal([]byte(out), &plans); err != nil || len(plans) != 1 {
			t.Fatalf("EXPLAIN output %.500s: %v", out, err)
		}
		gather := plans[0].Plan.find("Gather")
		if gather == nil {
			t.Fatalf("no Gather node in the plan:\n%s", out)
		}
		if gather.WorkersLaunched < 1 {
			t.Fatalf("Gather launched %d workers (planned %d), want at least 1", gather.WorkersLaunched, gather.WorkersPlanned)
		}
		if gather.find("Aggregate") == nil {
			t.Fatalf("no Aggregate under the Gather: the functions would run in the leader:\n%s", out)
		}
	}

	t.Run("counts", func(t *testing.T) {
		parallel(t, query)
		// The same holds for the run whose results are read: its last
		// column says no row was evaluated by the leader.
		got := make([]int64, len(want))
		dest := make([]any, len(want))
		for i := range got {
			dest[i] = &got[i]
		}
		if err := conn.QueryRow(ctx, query, leader).Scan(dest...); err != nil {
			t.Fatalf("%s: %v", query, err)
		}
		for i := range want {
			if got[i] != want[i] {
				t.Errorf("%s = %d, want %d", labels[i], got[i], want[i])
			}
		}
	})

	// The control: a PARALLEL SAFE function with an EXCEPTION block, run
	// by the same harness. PostgreSQL 15 and 16 refuse it in the worker,
	// so there a regression of the type functions would fail the counts
	// above. 17 and later run it, in the workers, with the answers of a
	// serial plan: there the counts cannot catch such a regression, and
	// the catalog check below is what does.
	t.Run("exception block in a worker", func(t *testing.T) {
		const block = `SELECT count(probe.block(doc)), count(*) FILTER (WHERE probe.pid() = $1) FROM t`
		var n, byLeader int64
		if version < 170000 {
			err := conn.QueryRow(ctx, block, leader).Scan(&n, &byLeader)
			var pgErr *pgconn.PgError
			// 25000 invalid_transaction_state, raised in a worker.
			if !errors.As(err, &pgErr) || pgErr.Code != "25000" || !strings.Contains(pgErr.Where, "parallel worker") {
				t.Errorf("PostgreSQL %d, a PARALLEL SAFE function with an EXCEPTION block in a worker: %d, error %v; want SQLSTATE 25000 from a parallel worker", version, n, err)
			}
			return
		}
		parallel(t, block)
		if err := conn.QueryRow(ctx, block, leader).Scan(&n, &byLeader); err != nil {
			t.Fatalf("PostgreSQL %d, a PARALLEL SAFE function with an EXCEPTION block in a worker: %v; want it run", version, err)
		}
		var serial int64
		if err := pgx.BeginFunc(ctx, conn, func(tx pgx.Tx) error {
			if _, err := tx.Exec(ctx, "SET LOCAL max_parallel_workers_per_gather = 0"); err != nil {
				return err
			}
			return tx.QueryRow(ctx, "SELECT count(probe.block(doc)) FROM t").Scan(&serial)
		}); err != nil {
			t.Fatal(err)
		}
		if byLeader != 0 || n != serial || n == 0 {
			t.Errorf("PostgreSQL %d, in workers: probe.block counted %d (serially %d), %d rows evaluated by the leader; want the serial count, nonzero, and 0 rows",
				version, n, serial, byLeader)
		}
	})

	// No PARALLEL SAFE PL/pgSQL function of bronze or landing has an
	// EXCEPTION block. (RAISE EXCEPTION, as in bronze.problem, is fine: a
	// block is "EXCEPTION WHEN".)
	blocks := func(t *testing.T, schemas ...string) []string {
		t.Helper()
		rows, err := conn.Query(ctx, `
			SELECT p.oid::regprocedure::text
			FROM pg_proc p
			JOIN pg_namespace n ON n.oid = p.pronamespace
			JOIN pg_language l ON l.oid = p.prolang
			WHERE n.nspname = ANY ($1) AND l.lanname = 'plpgsql' AND p.proparallel = 's'
			  AND regexp_replace(p.prosrc, '--[^\n]*', '', 'g') ~* '\mexception\s+when\M'
			ORDER BY 1`, schemas)
		if err != nil {
			t.Fatal(err)
		}
		names, err := pgx.CollectRows(rows, pgx.RowTo[string])
		if err != nil {
			t.Fatal(err)
		}
		return names
	}
	t.Run("catalog", func(t *testing.T) {
		var safe int
		if err := conn.QueryRow(ctx, `
			SELECT count(*) FROM pg_proc p
			JOIN pg_namespace n ON n.oid = p.pronamespace
			JOIN pg_language l ON l.oid = p.prolang
			WHERE n.nspname = 'bronze' AND l.lanname = 'plpgsql' AND p.proparallel = 's'
			  AND p.proname IN ('as_date', 'as_timestamptz', 'as_text_array', 'as_integer_array', 'problem', 'issue')`).Scan(&safe); err != nil {
			t.Fatal(err)
		}
		if safe != 6 {
			t.Errorf("%d PL/pgSQL type functions found PARALLEL SAFE, want 6", safe)
		}
		if got := blocks(t, "bronze", "landing"); len(got) != 0 {
			t.Errorf("PARALLEL SAFE functions with an EXCEPTION block: %v", got)
		}
		// The check itself finds a block, and only a block.
		if got, want := blocks(t, "probe"), []string{"probe.block(jsonb)"}; !reflect.DeepEqual(got, want) {
			t.Errorf("check on probe functions: %v, want %v", got, want)
		}
	})
}

func b2i(b bool) int64 {
	if b {
		return 1
	}
	return 0
}

// planNode is a node of EXPLAIN (FORMAT JSON).
type planNode struct {
	NodeType        string     `json:"Node Type"`
	WorkersPlanned  int        `json:"Workers Planned"`
	WorkersLaunched int        `json:"Workers Launched"`
	Plans           []planNode `json:"Plans"`
}

// find returns the first node of type typ in n's tree, n included.
func (n *planNode) find(typ string) *planNode {
	if n.NodeType == typ {
		return n
	}
	for i := range n.Plans {
		if f := n.Plans[i].find(typ); f != nil {
			return f
		}
	}
	return nil
}
