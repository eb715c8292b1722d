-- A ledger never merges its lines: a spending record without a 凭证号 is keyed by its amount,
-- its 说明 and its occurrence among equal lines (`a:<fen>#<n>:n:<说明>`), no longer by its
-- 说明 alone (`n:<说明>`, or '' without one), so two payments of one day stay two records.
-- Before this, one current row per (declaration, date, 说明) existed, so every such row is
-- occurrence 1.
UPDATE spending_records
SET record_key = 'a:' || CAST(amount AS TEXT) || '#1:n:' ||
    CASE WHEN record_key LIKE 'n:%' THEN SUBSTR(record_key, 3) ELSE '' END
WHERE record_key NOT LIKE 'v:%';
