// Package mutate makes mutants of SQL text, for scripts/mutate: each
// predicate of a WHERE (an aggregate's FILTER (WHERE …) included) or of a
// JOIN's ON, removed (made true) or negated, one at a time. A test suite
// that passes on a mutant has not pinned that predicate down.
//
// It reads the SQL only as far as it must: comments, quoted strings and
// identifiers, parentheses and keywords. A predicate is a conjunct of the
// clause (split at its top-level ANDs, the AND of a BETWEEN excepted) or,
// in a clause that is one OR, a disjunct (removed: made false). Dollar
// quotes are read through, so the queries in a function's body are
// mutated too; a string's content never is.
package mutate

import (
	"fmt"
	"slices"
	"strings"
	"unicode"
)

// Op is how a mutant changes its predicate.
type Op string

const (
	// Remove replaces a conjunct with true, a disjunct with false.
	Remove Op = "remove"
	// Negate replaces a predicate p with NOT (p).
	Negate Op = "negate"
)

// Mutant is one predicate of a text changed.
type Mutant struct {
	// Line is the line of the text the predicate starts on, from 1.
	Line int
	Op   Op
	// Predicate is the predicate as written (white space squeezed).
	Predicate string
	// SQL is the whole text with the predicate changed.
	SQL string
}

func (m Mutant) String() string { return fmt.Sprintf("line %d: %s %s", m.Line, m.Op, m.Predicate) }

// Mutants returns the mutants of sql: two per predicate, in the order the
// predicates appear.
func Mutants(sql string) []Mutant {
	var out []Mutant
	for _, p := range predicates(tokenize(sql)) {
		text := sql[p.start:p.end]
		line := 1 + strings.Count(sql[:p.start], "\n")
		squeezed := strings.Join(strings.Fields(text), " ")
		removed := "true"
		if p.disjunct {
			removed = "false"
		}
		if strings.EqualFold(squeezed, removed) {
			continue // ON true: nothing to remove, and NOT (true) is no join
		}
		out = append(out,
			Mutant{Line: line, Op: Remove, Predicate: squeezed, SQL: sql[:p.start] + removed + sql[p.end:]},
			Mutant{Line: line, Op: Negate, Predicate: squeezed, SQL: sql[:p.start] + "NOT (" + text + ")" + sql[p.end:]})
	}
	return out
}

// token is a word (upper-cased), a parenthesis, a semicolon, a dollar
// quote's delimiter ('$'), or another
// piece of the text that matters only for where it is.
type token struct {
	word       string // upper-cased keyword or identifier; "" for anything else
	punct      byte   // '(', ')', ';', '$' or 0
	start, end int
}

// tokenize splits sql into tokens, leaving out comments and white space,
// and reading strings and quoted identifiers as one token each.
func tokenize(sql string) []token {
	var toks []token
	for i := 0; i < len(sql); {
		c := sql[i]
		switch {
		case c == '-' && strings.HasPrefix(sql[i:], "--"):
			if j := strings.IndexByte(sql[i:], '\n'); j >= 0 {
				i += j + 1
			} else {
				i = len(sql)
			}
		case c == '/' && strings.HasPrefix(sql[i:], "/*"):
			if j := strings.Index(sql[i+2:], "*/"); j >= 0 {
				i += j + 4
			} else {
				i = len(sql)
			}
		case c == '\'' || c == '"':
			j := i + 1
			for j < len(sql) {
				if sql[j] == c {
					if j+1 < len(sql) && sql[j+1] == c { // a doubled quote
						j += 2
						continue
					}
					break
				}
				j++
			}
			toks = append(toks, token{start: i, end: min(j+1, len(sql))})
			i = j + 1
		case c == '$':
			// A dollar quote's delimiter ($$, $body$) is read through, and
			// ends any clause; a parameter ($1) is an ordinary token.
			j := i + 1
			for j < len(sql) && (sql[j] == '_' || isLetter(sql[j]) || (j > i+1 && isDigit(sql[j]))) {
				j++
			}
			if j < len(sql) && sql[j] == '$' {
				toks = append(toks, token{punct: '$', start: i, end: j + 1})
				i = j + 1
				continue
			}
			toks = append(toks, token{start: i, end: j})
			i = j
		case c == '(' || c == ')' || c == ';':
			toks = append(toks, token{punct: c, start: i, end: i + 1})
			i++
		case isLetter(c) || c == '_':
			j := i
			for j < len(sql) && (isLetter(sql[j]) || isDigit(sql[j]) || sql[j] == '_') {
				j++
			}
			toks = append(toks, token{word: strings.ToUpper(sql[i:j]), start: i, end: j})
			i = j
		case unicode.IsSpace(rune(c)):
			i++
		default:
			toks = append(toks, token{start: i, end: i + 1})
			i++
		}
	}
	return toks
}

func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= 0x80 }
func isDigit(c byte) bool  { return c >= '0' && c <= '9' }

// span is a predicate's place in the text.
type span struct {
	start, end int
	disjunct   bool
}

// ends are the words that end a WHERE clause at its own depth; a JOIN's ON
// clause ends at these and at the next join.
var ends = map[string]bool{
	"GROUP": true, "ORDER": true, "HAVING": true, "LIMIT": true, "OFFSET": true, "UNION": true,
	"EXCEPT": true, "INTERSECT": true, "WINDOW": true, "RETURNING": true, "ON": true, "FOR": true,
	"LOOP": true, "THEN": true, "INTO": true, "WHERE": true, "SELECT": true, "FROM": true,
	"USING": true, "DO": true, "SET": true, "VALUES": true,
}

var joins = map[string]bool{"JOIN": true, "LEFT": true, "RIGHT": true, "INNER": true, "FULL": true, "CROSS": true, "NATURAL": true, "LATERAL": true}

// predicates finds the predicates of every WHERE and join ON clause.
func predicates(toks []token) []span {
	var out []span
	for i, t := range toks {
		if t.word != "WHERE" && (t.word != "ON" || !joinOn(toks, i)) {
			continue
		}
		out = append(out, clause(toks, i+1, t.word == "ON")...)
	}
	slices.SortStableFunc(out, func(a, b span) int { return a.start - b.start })
	return out
}

// joinOn says whether the ON at i is a join's: the nearest keyword before
// it, at its depth, that begins a part of a query is JOIN.
func joinOn(toks []token, i int) bool {
	depth := 0
	for j := i - 1; j >= 0; j-- {
		switch t := toks[j]; {
		case t.punct == ')':
			depth++
		case t.punct == '(':
			if depth == 0 {
				return false
			}
			depth--
		case depth > 0:
		case t.word == "JOIN":
			return true
		case t.word == "SELECT" || t.word == "FROM" || t.word == "WHERE" || t.word == "DISTINCT" || t.punct == ';' || t.punct == '$' ||
			t.word == "CONFLICT" || t.word == "TABLE" || t.word == "INDEX" || t.word == "COMMENT" || t.word == "GRANT" ||
			t.word == "REVOKE" || t.word == "TRIGGER" || t.word == "POLICY" || t.word == "DELETE":
			return false
		}
	}
	return false
}

// clause splits the clause starting at token i into its predicates.
func clause(toks []token, i int, on bool) []span {
	depth := 0
	var parts []span
	var ors []span
	start := i
	between := false
	end := len(toks)
	cut := func(j int, list *[]span) {
		if j > start {
			*list = append(*list, span{start: toks[start].start, end: toks[j-1].end})
		}
		start = j + 1
	}
loop:
	for j := i; j < len(toks); j++ {
		t := toks[j]
		switch {
		case t.punct == '(' || t.word == "CASE":
			depth++
		case t.punct == ')' || t.word == "END":
			if depth == 0 {
				end = j
				break loop
			}
			depth--
		case depth > 0:
		case t.word == "FROM" && toks[j-1].word == "DISTINCT": // IS [NOT] DISTINCT FROM
		case t.punct == ';' || t.punct == '$' || ends[t.word] || on && joins[t.word]:
			end = j
			break loop
		case t.word == "BETWEEN":
			between = true
		case t.word == "AND" && between:
			between = false
		case t.word == "AND":
			cut(j, &parts)
		}
	}
	cut(end, &parts)
	if len(parts) > 1 {
		return parts
	}
	// One conjunct: its disjuncts, if it is an OR at the top.
	start, depth = i, 0
	for j := i; j < end; j++ {
		switch t := toks[j]; {
		case t.punct == '(' || t.word == "CASE":
			depth++
		case t.punct == ')' || t.word == "END":
			depth--
		case depth == 0 && t.word == "OR":
			cut(j, &ors)
		}
	}
	if len(ors) == 0 {
		return parts
	}
	cut(end, &ors)
	for k := range ors {
		ors[k].disjunct = true
	}
	return append(parts, ors...)
}

// Key names a mutant independently of line numbers: its file (as
// db/checks/x.sql), its op and its predicate.
type Key struct {
	File      string
	Op        Op
	Predicate string
}

// Equivalents reads the table of equivalent mutants in doc (the text of
// docs/testing.md): each row `| file | op | predicate | why |` whose cells
// are code spans but the last. A mutant listed there survives the tests
// because it means the same; the why is kept for the report.
func Equivalents(doc string) map[Key]string {
	out := map[Key]string{}
	for _, line := range strings.Split(doc, "\n") {
		cells := strings.Split(strings.TrimSpace(line), " | ")
		if len(cells) != 4 || !strings.HasPrefix(cells[0], "| `db/") {
			continue
		}
		code := func(s string) string { return strings.Trim(strings.TrimSpace(s), "`") }
		k := Key{File: code(strings.TrimPrefix(cells[0], "|")), Op: Op(code(cells[1])), Predicate: code(cells[2])}
		out[k] = strings.TrimSuffix(strings.TrimSpace(cells[3]), " |")
	}
	return out
}
