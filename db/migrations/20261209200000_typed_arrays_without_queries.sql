-- migrate:up

-- The typed arrays of a first sync (bronze.payloads' customers, norad_ids,
-- nationalities and manufacturers; a few more elsewhere) cost a query per
-- row and column: bronze.as_text_array and bronze.as_integer_array ran a
-- SELECT over jsonb_array_elements for each value. Here each is two plain
-- expressions, evaluated without a query: a jsonpath that finds an element
-- that does not fit, and jsonb_populate_record, which makes the SQL array
-- of a JSON array itself (into a field of bronze.typed_arrays). What they
-- return is the same: NULL unless every element fits; '{}' for [].
-- Measured on the 225,000 payloads of 1,000 times the snapshot: customers
-- 1.2 s to 0.7 s, norad_ids 2.8 s to 1.1 s.

CREATE TYPE bronze.typed_arrays AS (texts text[], numbers numeric[]);

COMMENT ON TYPE bronze.typed_arrays IS 'A JSON array made an SQL array by jsonb_populate_record, in bronze.as_text_array and bronze.as_integer_array.';

-- A JSON array of strings; NULL if anything else, or any element is not a
-- string.
CREATE OR REPLACE FUNCTION bronze.as_text_array(v jsonb) RETURNS text[]
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
BEGIN
    IF jsonb_typeof(v) IS DISTINCT FROM 'array'
       OR jsonb_path_exists(v, 'strict $[*] ? (@.type() != "string")', '{}', true) THEN
        RETURN NULL;
    END IF;
    RETURN (jsonb_populate_record(NULL::bronze.typed_arrays, jsonb_build_object('texts', v))).texts;
END
$$;

-- A JSON array of integers (as bronze.as_integer: a number without a
-- fraction, in range); NULL if anything else. The numbers are made numeric
-- first, exactly, so 2.0 is 2.
CREATE OR REPLACE FUNCTION bronze.as_integer_array(v jsonb) RETURNS integer[]
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
BEGIN
    IF jsonb_typeof(v) IS DISTINCT FROM 'array'
       OR jsonb_path_exists(v, 'strict $[*] ? (@.type() != "number" || @ != @.floor() || @ < -2147483648 || @ > 2147483647)',
                            '{}', true) THEN
        RETURN NULL;
    END IF;
    RETURN (jsonb_populate_record(NULL::bronze.typed_arrays, jsonb_build_object('numbers', v))).numbers::integer[];
END
$$;

-- migrate:down

CREATE OR REPLACE FUNCTION bronze.as_text_array(v jsonb) RETURNS text[]
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
DECLARE
    a text[];
BEGIN
    IF jsonb_typeof(v) IS DISTINCT FROM 'array' THEN
        RETURN NULL;
    END IF;
    SELECT CASE WHEN bool_and(jsonb_typeof(e) = 'string') IS NOT FALSE THEN coalesce(array_agg(e #>> '{}'), '{}') END
    INTO a FROM jsonb_array_elements(v) AS e;
    RETURN a;
END
$$;

CREATE OR REPLACE FUNCTION bronze.as_integer_array(v jsonb) RETURNS integer[]
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
DECLARE
    a integer[];
BEGIN
    IF jsonb_typeof(v) IS DISTINCT FROM 'array' THEN
        RETURN NULL;
    END IF;
    SELECT CASE WHEN bool_and(bronze.as_integer(e) IS NOT NULL) IS NOT FALSE THEN coalesce(array_agg(bronze.as_integer(e)), '{}') END
    INTO a FROM jsonb_array_elements(v) AS e;
    RETURN a;
END
$$;

DROP TYPE bronze.typed_arrays;
