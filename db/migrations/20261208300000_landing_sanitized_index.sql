-- migrate:up

-- The few documents that had something replaced (landing.contents.sanitized
-- above 0), indexed on their own: a landing counts those among the
-- documents of a resource's newest manifest, which it does not ask about
-- one by one (internal/landing: LandingManifestSanitized).
CREATE INDEX contents_sanitized ON landing.contents (sha256) WHERE sanitized > 0;

-- migrate:down

DROP INDEX landing.contents_sanitized;
