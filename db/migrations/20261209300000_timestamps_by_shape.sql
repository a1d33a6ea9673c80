-- migrate:up

-- bronze.as_timestamptz checked every value against a regular expression,
-- twice, which cost most of the 7 microseconds each of the three launch
-- dates and the payload epoch took to type (PostgreSQL's regular
-- expressions are slow to match). The API writes two forms; those are now
-- checked by their shape (each digit as #) and the ranges of their fields,
-- and only any other form meets the regular expression. Same results
-- (TestTypeChecks); 205,000 launch dates type in 0.8 s rather than 1.1 s.

-- YYYY-MM-DD[T ]HH:MM[:SS[.fraction]] with Z, ±HH, ±HHMM or ±HH:MM, or no
-- zone, which means UTC. Once the shape and the day are checked, the cast
-- cannot fail, and with the zone explicit no setting changes its result.
CREATE OR REPLACE FUNCTION bronze.as_timestamptz(v jsonb) RETURNS timestamptz
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
DECLARE
    s text := CASE WHEN jsonb_typeof(v) = 'string' THEN v #>> '{}' END;
BEGIN
    -- The API's forms, 2006-03-24T22:30:00.000Z and 2006-03-25T10:30:00+12:00:
    -- hours to 23, minutes and seconds to 59, offsets to 15:59.
    IF translate(s, '0123456789', '##########')
       IN ('####-##-##T##:##:##.###Z', '####-##-##T##:##:##+##:##', '####-##-##T##:##:##-##:##') THEN
        RETURN CASE WHEN substr(s, 12, 2)::integer <= 23 AND substr(s, 15, 2)::integer <= 59
                         AND substr(s, 18, 2)::integer <= 59
                         AND (right(s, 1) = 'Z' OR substr(s, 21, 2)::integer <= 15 AND substr(s, 24, 2)::integer <= 59)
                         AND bronze.is_date(substr(s, 1, 4)::integer, substr(s, 6, 2)::integer, substr(s, 9, 2)::integer)
                    THEN s::timestamptz END;
    END IF;
    IF s !~ '^[0-9]{4}-[0-9][0-9]-[0-9][0-9][T ]([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\.[0-9]{1,9})?)?(Z|[+-](0[0-9]|1[0-5])(:?[0-5][0-9])?)?$'
       OR NOT bronze.is_date(substr(s, 1, 4)::integer, substr(s, 6, 2)::integer, substr(s, 9, 2)::integer) THEN
        RETURN NULL;
    END IF;
    RETURN (CASE WHEN s ~ '(Z|[+-][0-9:]+)$' THEN s ELSE s || 'Z' END)::timestamptz;
END
$$;

-- migrate:down

CREATE OR REPLACE FUNCTION bronze.as_timestamptz(v jsonb) RETURNS timestamptz
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
DECLARE
    s text := CASE WHEN jsonb_typeof(v) = 'string' THEN v #>> '{}' END;
BEGIN
    IF s !~ '^[0-9]{4}-[0-9][0-9]-[0-9][0-9][T ]([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\.[0-9]{1,9})?)?(Z|[+-](0[0-9]|1[0-5])(:?[0-5][0-9])?)?$'
       OR NOT bronze.is_date(substr(s, 1, 4)::integer, substr(s, 6, 2)::integer, substr(s, 9, 2)::integer) THEN
        RETURN NULL;
    END IF;
    RETURN (CASE WHEN s ~ '(Z|[+-][0-9:]+)$' THEN s ELSE s || 'Z' END)::timestamptz;
END
$$;
