-- severity: error
-- description: Live dragons have every field the API's model requires: name,
--   type, active, crew_capacity, sidewall_angle_deg, orbit_duration_yr,
--   dry_mass_kg, dry_mass_lb, heat_shield.material and
--   heat_shield.size_meters. One violation per dragon and missing field; the
--   key is the dragon's name (its id when the name is missing) and the field.
SELECT format('%s: %s', coalesce(d.name, d.id), f.field) AS key
FROM bronze.dragons d
CROSS JOIN LATERAL (VALUES
    ('name', d.name IS NULL),
    ('type', d.type IS NULL),
    ('active', d.active IS NULL),
    ('crew_capacity', d.crew_capacity IS NULL),
    ('sidewall_angle_deg', d.sidewall_angle_deg IS NULL),
    ('orbit_duration_yr', d.orbit_duration_yr IS NULL),
    ('dry_mass_kg', d.dry_mass_kg IS NULL),
    ('dry_mass_lb', d.dry_mass_lb IS NULL),
    ('heat_shield.material', d.heat_shield_material IS NULL),
    ('heat_shield.size_meters', d.heat_shield_size_meters IS NULL)
) AS f(field, missing)
WHERE d.deleted_at IS NULL AND f.missing
